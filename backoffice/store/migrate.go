package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// migrations are applied in order, each once, each in its own transaction.
// Never edit an applied migration: add a new one. {{serial}} and {{blob}}
// are replaced by the dialect's column types.
var migrations = []string{
	// 1: the initial schema.
	`CREATE TABLE enrolment_tokens (
		token_hash TEXT PRIMARY KEY,
		terminal   TEXT NOT NULL,
		center     TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		expires_at BIGINT NOT NULL,
		used_at    BIGINT NOT NULL DEFAULT 0
	);
	CREATE TABLE terminals (
		id             TEXT PRIMARY KEY,
		center         TEXT NOT NULL,
		cert_serial    TEXT NOT NULL,
		cert_not_after BIGINT NOT NULL,
		enrolled_at    BIGINT NOT NULL
	);
	CREATE TABLE submissions (
		seq              {{serial}},
		terminal         TEXT NOT NULL,
		client_id        TEXT NOT NULL,
		local_receipt    TEXT NOT NULL,
		official_receipt TEXT NOT NULL DEFAULT '',
		center           TEXT NOT NULL,
		affairs_code     TEXT NOT NULL,
		affairs_name     TEXT NOT NULL,
		payload_hash     TEXT NOT NULL,
		payload          {{blob}} NOT NULL,
		state            TEXT NOT NULL,
		created_at       BIGINT NOT NULL,
		received_at      BIGINT NOT NULL,
		CONSTRAINT submissions_terminal_client UNIQUE (terminal, client_id)
	);
	CREATE INDEX submissions_official ON submissions (official_receipt);
	CREATE INDEX submissions_local ON submissions (local_receipt);
	CREATE TABLE idempotency_keys (
		terminal     TEXT NOT NULL,
		idem_key     TEXT NOT NULL,
		request_hash TEXT NOT NULL,
		status       INTEGER NOT NULL,
		body         {{blob}} NOT NULL,
		created_at   BIGINT NOT NULL,
		PRIMARY KEY (terminal, idem_key)
	);
	CREATE TABLE heartbeats (
		terminal    TEXT PRIMARY KEY,
		received_at BIGINT NOT NULL,
		body        {{blob}} NOT NULL
	);
	CREATE TABLE alarms (
		id          {{serial}},
		terminal    TEXT NOT NULL,
		kind        TEXT NOT NULL,
		device      TEXT NOT NULL,
		detail      TEXT NOT NULL,
		raised_at   BIGINT NOT NULL,
		received_at BIGINT NOT NULL
	);
	CREATE INDEX alarms_terminal ON alarms (terminal, id);
	CREATE TABLE bundles (
		kind         TEXT NOT NULL,
		version      BIGINT NOT NULL,
		data         {{blob}} NOT NULL,
		published_at BIGINT NOT NULL,
		PRIMARY KEY (kind, version)
	);
	CREATE TABLE ticket_counters (
		center  TEXT NOT NULL,
		service TEXT NOT NULL,
		day     TEXT NOT NULL,
		last    INTEGER NOT NULL,
		PRIMARY KEY (center, service, day)
	);
	CREATE TABLE slots (
		id       TEXT PRIMARY KEY,
		center   TEXT NOT NULL,
		service  TEXT NOT NULL,
		start_at BIGINT NOT NULL,
		capacity INTEGER NOT NULL,
		booked   INTEGER NOT NULL DEFAULT 0,
		CHECK (booked >= 0 AND booked <= capacity)
	);
	CREATE INDEX slots_center_start ON slots (center, start_at);
	CREATE TABLE appointments (
		id          TEXT PRIMARY KEY,
		slot_id     TEXT NOT NULL REFERENCES slots (id),
		item_code   TEXT NOT NULL,
		holder_hash TEXT NOT NULL,
		state       TEXT NOT NULL,
		created_at  BIGINT NOT NULL
	);
	CREATE TABLE licences (
		cert_uuid   TEXT PRIMARY KEY,
		holder_type TEXT NOT NULL,
		holder_hash TEXT NOT NULL,
		cat_main    TEXT NOT NULL,
		name        TEXT NOT NULL,
		issuer      TEXT NOT NULL,
		valid_start TEXT NOT NULL,
		valid_end   TEXT NOT NULL
	);
	CREATE INDEX licences_holder ON licences (holder_type, holder_hash);`,

	// 2: the console: worked submissions, people and sessions, the audit
	// trail, called tickets, alarm handling, revoked terminals, visits.
	`ALTER TABLE submissions ADD COLUMN reason_zh TEXT NOT NULL DEFAULT '';
	ALTER TABLE submissions ADD COLUMN reason_en TEXT NOT NULL DEFAULT '';
	ALTER TABLE submissions ADD COLUMN state_at BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE submissions ADD COLUMN state_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE submissions ADD COLUMN name_masked TEXT NOT NULL DEFAULT '';
	ALTER TABLE submissions ADD COLUMN idno_masked TEXT NOT NULL DEFAULT '';
	ALTER TABLE submissions ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX submissions_center_received ON submissions (center, received_at);
	CREATE TABLE users (
		username     TEXT PRIMARY KEY,
		display_name TEXT NOT NULL,
		role         TEXT NOT NULL,
		center       TEXT NOT NULL,
		pw_hash      TEXT NOT NULL,
		failed       INTEGER NOT NULL DEFAULT 0,
		locked_until BIGINT NOT NULL DEFAULT 0,
		created_at   BIGINT NOT NULL
	);
	CREATE TABLE sessions (
		token_hash TEXT PRIMARY KEY,
		username   TEXT NOT NULL,
		csrf       TEXT NOT NULL,
		created_at BIGINT NOT NULL,
		last_seen  BIGINT NOT NULL,
		ended_at   BIGINT NOT NULL DEFAULT 0
	);
	CREATE TABLE audit_log (
		id       {{serial}},
		at       BIGINT NOT NULL,
		username TEXT NOT NULL,
		role     TEXT NOT NULL,
		action   TEXT NOT NULL,
		target   TEXT NOT NULL,
		detail   TEXT NOT NULL,
		remote   TEXT NOT NULL
	);
	CREATE TABLE tickets (
		center    TEXT NOT NULL,
		service   TEXT NOT NULL,
		day       TEXT NOT NULL,
		seq       INTEGER NOT NULL,
		issued_at BIGINT NOT NULL,
		state     TEXT NOT NULL,
		counter   TEXT NOT NULL DEFAULT '',
		called_at BIGINT NOT NULL DEFAULT 0,
		calls     INTEGER NOT NULL DEFAULT 0,
		done_at   BIGINT NOT NULL DEFAULT 0,
		PRIMARY KEY (center, day, service, seq)
	);
	ALTER TABLE alarms ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
	ALTER TABLE alarms ADD COLUMN acked_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE alarms ADD COLUMN acked_at BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE alarms ADD COLUMN resolved_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE alarms ADD COLUMN resolved_at BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE terminals ADD COLUMN revoked_at BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE appointments ADD COLUMN visit TEXT NOT NULL DEFAULT '';
	CREATE TABLE heartbeat_minutes (
		terminal  TEXT NOT NULL,
		minute    BIGINT NOT NULL,
		available INTEGER NOT NULL,
		PRIMARY KEY (terminal, minute)
	)`,
	// 3: the console's audit trail refuses change in the database itself.
	`{{append_only audit_log}}`,
	// 4: the handwritten signature, sealed apart from the payload under
	// its own key (NULL: none, or inside the payload of an older row).
	`ALTER TABLE submissions ADD COLUMN signature {{blob}}`,
	// 5: terminals' audit chain anchors, the e-licence lookup log and the
	// used 随申码 token nonces, kept across restarts.
	`CREATE TABLE audit_anchors (
		terminal    TEXT NOT NULL,
		seq         BIGINT NOT NULL,
		head        TEXT NOT NULL,
		received_at BIGINT NOT NULL,
		signature   {{blob}},
		PRIMARY KEY (terminal, seq)
	);
	CREATE TABLE lookup_log (
		id        {{serial}},
		at        BIGINT NOT NULL,
		terminal  TEXT NOT NULL,
		item_code TEXT NOT NULL,
		pseudonym TEXT NOT NULL,
		found     INTEGER NOT NULL
	);
	CREATE INDEX lookup_log_pseudonym ON lookup_log (pseudonym, id);
	CREATE TABLE used_nonces (
		nonce      TEXT PRIMARY KEY,
		expires_at BIGINT NOT NULL
	);
	CREATE INDEX used_nonces_expiry ON used_nonces (expires_at)`,
	// 6: department records a center imports (the store connector), and
	// the records of issued documents (verification by number or digest).
	`CREATE TABLE dept_records (
		center      TEXT NOT NULL,
		item        TEXT NOT NULL,
		subject     TEXT NOT NULL,
		data        {{blob}} NOT NULL,
		sealed      INTEGER NOT NULL DEFAULT 0,
		imported_at BIGINT NOT NULL,
		PRIMARY KEY (center, item, subject)
	);
	CREATE TABLE documents (
		doc_number TEXT PRIMARY KEY,
		digest     TEXT NOT NULL,
		item       TEXT NOT NULL,
		center     TEXT NOT NULL,
		data       {{blob}} NOT NULL,
		sealed     INTEGER NOT NULL DEFAULT 0,
		issued_at  BIGINT NOT NULL
	);
	CREATE INDEX documents_digest ON documents (digest)`,
	// 7: which key used an enrolment token, and the certificate it got,
	// so that a terminal that lost the answer (a power cut) and asks again
	// with the same key gets the same certificate.
	`ALTER TABLE enrolment_tokens ADD COLUMN used_key TEXT NOT NULL DEFAULT '';
	ALTER TABLE enrolment_tokens ADD COLUMN cert_der {{blob}}`,
	// 8: the start of the newest certificate of a terminal's enrolment seen
	// in use: a renewal supersedes the certificates before it.
	`ALTER TABLE terminals ADD COLUMN cert_in_use BIGINT NOT NULL DEFAULT 0`,
	// 9: the parts of 一件事 bundle submissions (parts.go).
	migrationParts,
	// 10: appointments at the right place (places.go).
	migrationPlaces,
}

// statements splits a migration at the semicolons between statements,
// not at those inside a trigger's BEGIN … END or a $$-quoted function body.
func statements(sql string) []string {
	var out []string
	start, depth, dollar := 0, 0, false
	word := func(i int, w string) bool {
		if !strings.HasPrefix(sql[i:], w) {
			return false
		}
		before := i == 0 || !isWordByte(sql[i-1])
		after := i+len(w) == len(sql) || !isWordByte(sql[i+len(w)])
		return before && after
	}
	for i := 0; i < len(sql); i++ {
		switch {
		case strings.HasPrefix(sql[i:], "$$"):
			dollar = !dollar
			i++
		case dollar:
		case word(i, "BEGIN"):
			depth++
		case word(i, "END") && depth > 0:
			depth--
		case sql[i] == ';' && depth == 0:
			out = append(out, sql[start:i])
			start = i + 1
		}
	}
	return append(out, sql[start:])
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int { return len(migrations) }

func (s *DB) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if s.dialect.lock != "" {
		if _, err := conn.ExecContext(ctx, s.dialect.lock); err != nil {
			return fmt.Errorf("store: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.dialect.unlock)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var have int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("store: the database schema is version %d, newer than this program's %d: upgrade the program", have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		stmt := strings.NewReplacer("{{serial}}", s.dialect.serial, "{{blob}}", s.dialect.blob,
			"{{append_only audit_log}}", strings.ReplaceAll(s.dialect.appendOnly, "{{t}}", "audit_log")).Replace(migrations[v-1])
		err := func() error {
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			for _, one := range statements(stmt) {
				if strings.TrimSpace(one) == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, one); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, v, time.Now().UnixMicro()); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("store: migration %d: %w", v, err)
		}
	}
	return nil
}
