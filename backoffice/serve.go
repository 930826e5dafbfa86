package backoffice

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Serve serves h on ln until ctx ends, then shuts down gracefully (up to 10
// s), within DefaultLimits. With tlsConfig nil it serves plain HTTP:
// callers allow that only on loopback, for development.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, tlsConfig *tls.Config, logger *slog.Logger) error {
	return ServeWithin(ctx, ln, h, tlsConfig, logger, DefaultLimits)
}

// ServeWithin is Serve within lim: connections per source and in all, and
// the time a request's headers may take. (The time an unauthenticated
// route's body may take is the Server's: Options.Limits.)
func ServeWithin(ctx context.Context, ln net.Listener, h http.Handler, tlsConfig *tls.Config, logger *slog.Logger, lim Limits) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if lim.HeaderTimeout <= 0 {
		lim.HeaderTimeout = DefaultLimits.HeaderTimeout
	}
	ln = newLimitListener(ln, lim, logger)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.HeaderTimeout,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		// TLS handshake failures (a certificate from another CA, no
		// certificate where one is needed) are reported here.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// IsLoopback reports whether a listen address is on the loopback interface.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
