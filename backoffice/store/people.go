package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// Roles of console users.
const (
	RoleStaff    = "staff"    // center staff: their own center's submissions and counter
	RoleDirector = "director" // center director: their center, its reports and staff accounts
	RoleOperator = "operator" // city operator: every center, the fleet, bundles, enrolment
	RoleAuditor  = "auditor"  // read-only: the audit trail
)

// ErrExists is returned when a user of that name already exists.
var ErrExists = errorString("store: already exists")

type errorString string

func (e errorString) Error() string { return string(e) }

// User is a console account. PasswordHash is an encoded argon2id hash.
type User struct {
	Username     string
	DisplayName  string
	Role         string
	Center       string // "" for operators and auditors
	PasswordHash string
	Failed       int       // wrong passwords in a row
	LockedUntil  time.Time // zero: not locked
	CreatedAt    time.Time
}

// CreateUser adds a user; ErrExists if the name is taken.
func (s *DB) CreateUser(ctx context.Context, u User) error {
	res, err := s.db.ExecContext(ctx, `INSERT INTO users (username, display_name, role, center, pw_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING`,
		u.Username, u.DisplayName, u.Role, u.Center, u.PasswordHash, micros(u.CreatedAt))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrExists
	}
	return nil
}

// User returns a user by name.
func (s *DB) User(ctx context.Context, username string) (User, error) {
	u := User{Username: username}
	var locked, created int64
	err := s.db.QueryRowContext(ctx, `SELECT display_name, role, center, pw_hash, failed, locked_until, created_at
		FROM users WHERE username = $1`, username).Scan(&u.DisplayName, &u.Role, &u.Center, &u.PasswordHash, &u.Failed, &locked, &created)
	if err != nil {
		return User{}, notFound(err)
	}
	u.LockedUntil, u.CreatedAt = fromMicros(locked), fromMicros(created)
	return u, nil
}

// Users lists users, of one center when center is not "".
func (s *DB) Users(ctx context.Context, center string) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT username, display_name, role, center, failed, locked_until, created_at
		FROM users WHERE $1 = '' OR center = $1 ORDER BY username`, center)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var locked, created int64
		if err := rows.Scan(&u.Username, &u.DisplayName, &u.Role, &u.Center, &u.Failed, &locked, &created); err != nil {
			return nil, err
		}
		u.LockedUntil, u.CreatedAt = fromMicros(locked), fromMicros(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// LoginFailed counts one wrong password; the limit-th in a row locks the
// account until now+lockFor. It returns the new count and lock end.
func (s *DB) LoginFailed(ctx context.Context, username string, limit int, lockFor time.Duration, now time.Time) (int, time.Time, error) {
	var failed int
	var locked int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed = failed + 1 WHERE username = $1 RETURNING failed, locked_until`,
			username).Scan(&failed, &locked); err != nil {
			return notFound(err)
		}
		if failed >= limit {
			locked = micros(now.Add(lockFor))
			_, err := tx.ExecContext(ctx, `UPDATE users SET failed = 0, locked_until = $2 WHERE username = $1`, username, locked)
			return err
		}
		return nil
	})
	return failed, fromMicros(locked), err
}

// LoginSucceeded clears the count of wrong passwords.
func (s *DB) LoginSucceeded(ctx context.Context, username string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE users SET failed = 0, locked_until = 0 WHERE username = $1`, username)
	return err
}

// SetLock locks username's account until until (zero: unlocks it) and
// clears its count of wrong passwords; ErrNotFound if there is no such
// user.
func (s *DB) SetLock(ctx context.Context, username string, until time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET failed = 0, locked_until = $2 WHERE username = $1`, username, micros(until))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// EndSessionsOf ends every open session of username.
func (s *DB) EndSessionsOf(ctx context.Context, username string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET ended_at = $2 WHERE username = $1 AND ended_at = 0`, username, micros(now))
	return err
}

// Session is a console login. Only the hash of its cookie is stored.
type Session struct {
	TokenHash string
	Username  string
	CSRF      string
	CreatedAt time.Time
	LastSeen  time.Time
	EndedAt   time.Time // zero while the session lives
}

// CreateSession stores a new session.
func (s *DB) CreateSession(ctx context.Context, ss Session) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, username, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $5)`,
		ss.TokenHash, ss.Username, ss.CSRF, micros(ss.CreatedAt), micros(ss.LastSeen))
	return err
}

// Session returns a session by the hash of its cookie.
func (s *DB) Session(ctx context.Context, tokenHash string) (Session, error) {
	ss := Session{TokenHash: tokenHash}
	var created, seen, ended int64
	err := s.db.QueryRowContext(ctx, `SELECT username, csrf, created_at, last_seen, ended_at FROM sessions WHERE token_hash = $1`, tokenHash).
		Scan(&ss.Username, &ss.CSRF, &created, &seen, &ended)
	if err != nil {
		return Session{}, notFound(err)
	}
	ss.CreatedAt, ss.LastSeen, ss.EndedAt = fromMicros(created), fromMicros(seen), fromMicros(ended)
	return ss, nil
}

// TouchSession records activity on a live session.
func (s *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen = $2 WHERE token_hash = $1 AND ended_at = 0`, tokenHash, micros(now))
	return err
}

// EndSession ends a session (log out, idle timeout); it never lives again.
func (s *DB) EndSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at = 0`, tokenHash, micros(now))
	return err
}

// AuditEntry is one line of the console's audit trail: who did what, when
// and from where. The trail is append-only: the store has no way to change
// or delete an entry.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Username string
	Role     string
	Action   string
	Target   string
	Detail   string // never personal data
	Remote   string
}

// AppendAudit adds an entry to the audit trail.
func (s *DB) AppendAudit(ctx context.Context, e AuditEntry) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit_log (at, username, role, action, target, detail, remote)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, micros(e.At), e.Username, e.Role, e.Action, e.Target, e.Detail, e.Remote)
	return err
}

// AuditLog lists the audit trail, newest first, at most limit entries
// (0: all) with id below before (0: from the newest).
func (s *DB) AuditLog(ctx context.Context, before int64, limit int) ([]AuditEntry, error) {
	q := `SELECT id, at, username, role, action, target, detail, remote FROM audit_log WHERE ($1 = 0 OR id < $1) ORDER BY id DESC`
	if limit > 0 {
		q += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.db.QueryContext(ctx, q, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Username, &e.Role, &e.Action, &e.Target, &e.Detail, &e.Remote); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
