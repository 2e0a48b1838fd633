package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// testRoutes adds routes that only the end-to-end tests use; it is set
// by serve_testroutes.go, which only a build with the ssradtest tag
// compiles, so that the production binary has none of them.
var testRoutes func(srv *rest.Server, getenv func(string) string)

// serverGCPercent is the garbage collector's target of a server whose
// environment does not set GOGC.
const serverGCPercent = 400

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	var calendarFile string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseOptions(fs, serveAllOptions(&cfg, &calendarFile), args, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpText{flagUsage("ssrad serve", fs)}
		}
		return usagef("%v", err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return usagef("-tls-cert and -tls-key go together")
	}
	if cfg.DBMaxConns <= 0 {
		return usagef("-db-max-conns must be positive")
	}
	log := newLogger(cfg, stderr)
	// A server's live heap is small and its allocation rate high (every
	// request decodes and encodes a case of several kilobytes): at the
	// default GOGC=100 the collector ran several times a second. Unless
	// GOGC is set, the server collects at 400 %, a few tens of megabytes
	// more memory for less CPU per request.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serverGCPercent)
	}
	cal, err := loadCalendar(calendarFile)
	if err != nil {
		return err
	}
	if from, to := cal.Coverage(); !from.IsZero() {
		log.Info("working-day calendar", "calendar", cal.Name(), "covers_from", from.String(), "covers_to", to.String())
		if today := ssra.DateOf(time.Now()); !cal.Covers(today) || !cal.Covers(today.AddDays(90)) {
			log.Warn("the working-day calendar does not cover today or the next 90 days: deadlines there count weekends only and carry the warning calendar.not_covered; supply a newer calendar with -calendar",
				"calendar", cal.Name(), "covers_to", to.String())
		}
	} else {
		log.Info("working-day calendar", "calendar", cal.Name())
	}

	key, err := loadLogKey(cfg.LogKey)
	if err != nil {
		return err
	}
	storeOpts := []sqlstore.Option{sqlstore.WithMaxOpenConns(cfg.DBMaxConns), sqlstore.WithLogger(log), sqlstore.WithCalendar(cal)}
	if key != nil {
		storeOpts = append(storeOpts, sqlstore.WithLogKey(*key))
	}
	witnesses, err := loadWitnesses(cfg.WitnessKeys)
	if err != nil {
		return err
	}
	storeOpts = append(storeOpts, sqlstore.WithWitnesses(witnesses...))
	store, err := openStore(ctx, cfg.DB, storeOpts...)
	if err != nil {
		return err
	}
	defer store.Close()
	log.Info("database ready", "dialect", store.Dialect().String())
	if sqlstore.FactsOff() {
		log.Warn("this ssrad was built with the tag ssra_nofacts: it keeps no casework figures and serves wrong ones; it exists only to measure what the figures cost a write (examples/loadgen)")
	}
	if key != nil {
		log.Info("audit log checkpoints are signed", "origin", store.Origin(), "verifier_key", key.VerifierKey)
	} else {
		log.Warn("audit log checkpoints are UNSIGNED: they prove nothing to anyone outside the database; make a key with \"ssrad logkey generate\" and serve with -log-key", "origin", store.Origin())
	}
	if len(witnesses) > 0 {
		log.Info("audit log witnesses whose cosignatures are accepted", "witnesses", store.Witnesses())
	}
	// The authentication cache's listener (PostgreSQL; see sqlstore's
	// RunAuthCache): until it hears, every request reads its key.
	authCtx, stopAuth := context.WithCancel(ctx)
	defer stopAuth()
	go store.RunAuthCache(authCtx, func(err error) {
		log.Warn("authentication cache: reading keys from the database until it listens again", "err", err)
	})
	seqCtx, stopSequencer := context.WithCancel(context.WithoutCancel(ctx))
	sequenced := make(chan struct{})
	go func() {
		defer close(sequenced)
		store.RunSequencer(seqCtx, func(err error) { log.Error("audit log sequencer", "err", err) })
	}()
	defer func() {
		// Integrate what the last requests queued, so that a clean stop
		// leaves nothing pending.
		stopSequencer()
		<-sequenced
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := store.Drain(dctx); err != nil {
			log.Error("audit log sequencer", "err", err)
		}
	}()

	// Bind before the first-start set-up: a server that cannot listen must
	// not create the admin key and then exit, losing it.
	listeners, err := listen(cfg)
	if err != nil {
		return err
	}
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	ln := listeners[0]

	boot, err := store.Bootstrap(ctx, cfg.BootstrapOrg, cfg.BootstrapUser)
	if err != nil {
		return fmt.Errorf("first-start setup: %w", err)
	}
	if boot.Created {
		log.Info("first start: created organisation, admin user and API key",
			"org_id", boot.Organisation.ID, "user_id", boot.User.ID, "key_id", boot.KeyInfo.ID)
		// Only the next line contains the word "key", so that it can be
		// found by that word.
		fmt.Fprintf(stdout, "First start: created organisation %q and admin user %q, whose API credential is on the next line; it is shown only now, store it safely.\n",
			boot.Organisation.Name, boot.User.Name)
		fmt.Fprintf(stdout, "key: %s\n", boot.Key)
		log.Info("a lost first key is replaced with: ssrad keys create -user " + boot.User.ID)
	}

	srv := rest.New(rest.Config{
		Logger:            log,
		BodyLimit:         cfg.BodyLimit,
		SheetLimit:        cfg.SheetLimit,
		RequestTimeout:    cfg.RequestTimeout,
		AuthFailureLimit:  cfg.AuthFailureLimit,
		AuthFailureWindow: cfg.AuthFailureWindow,
		TrustProxy:        cfg.TrustProxy,
		MetricsSeparate:   cfg.MetricsAddr != "",
		ReportLocation:    cfg.ReportZone,
	}, rest.Deps{Auth: store, Ready: store, Resources: &rest.Resources{Store: store, Calendar: cal, Log: store},
		Directory: store})
	if testRoutes != nil {
		testRoutes(srv, getenv)
	}

	httpSrv := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		httpSrv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	servers := []*http.Server{httpSrv}
	if cfg.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		servers = append(servers, &http.Server{Handler: mux, ReadHeaderTimeout: cfg.ReadHeaderTimeout, IdleTimeout: cfg.IdleTimeout})
		log.Info("metrics listening", "addr", listeners[1].Addr().String())
	}

	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() {
			var err error
			if i == 0 && cfg.TLSCert != "" {
				err = s.ServeTLS(listeners[i], "", "")
			} else {
				err = s.Serve(listeners[i])
			}
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	log.Info("listening", "addr", ln.Addr().String(), "tls", cfg.TLSCert != "")

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	for _, s := range servers {
		if err := s.Shutdown(sctx); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// listen binds the server's address and, when set, the metrics address.
func listen(cfg config) ([]net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.MetricsAddr == "" {
		return []net.Listener{ln}, nil
	}
	mln, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.MetricsAddr, err)
	}
	return []net.Listener{ln, mln}, nil
}

// serveAllOptions are the server's settings: those of config and the
// working-day calendar.
func serveAllOptions(cfg *config, calendarFile *string) []option {
	return append(serveOptions(cfg), calendarOption(calendarFile))
}

// calendarOption is the working-day calendar's setting, the server's and
// that of the commands that count as it does.
func calendarOption(calendarFile *string) option {
	return option{"calendar", "SSRA_CALENDAR", "",
		"working-day calendar for statutory deadlines: cn_state_council (the State Council's holiday arrangements 2015-2026, the default), weekends_only, or a JSON file of holidays and make-up working days", str(calendarFile), false}
}

// printServeFlags writes the server's flags, for the global -h.
func printServeFlags(w io.Writer) {
	var cfg config
	var calendarFile string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if err := parseOptions(fs, serveAllOptions(&cfg, &calendarFile), nil, func(string) string { return "" }); err != nil {
		fmt.Fprintf(w, "  (%v)\n", err)
		return
	}
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, dsn string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	store, err := sqlstore.Open(ctx, dsn, opts...)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return store, nil
}

// loadCalendar returns the shipped calendar of that name, the official one
// (ssra.StateCouncilCalendar) when path is empty, or reads a calendar file
// with the module's strict decoder, as every other document.
func loadCalendar(path string) (ssra.Calendar, error) {
	if path == "" {
		return ssra.StateCouncilCalendar(), nil
	}
	if cal, err := ssra.CalendarByName(path); err == nil {
		return cal, nil
	}
	var cal ssra.Calendar
	b, err := os.ReadFile(path)
	if err != nil {
		return cal, fmt.Errorf("calendar: %w", err)
	}
	if err := strictjson.Decode(b, &cal, "ssrad.loadCalendar"); err != nil {
		return cal, fmt.Errorf("calendar %s: %w", path, err)
	}
	return cal, nil
}
