package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// config is the server's configuration. Each setting comes from its flag,
// else its SSRA_* environment variable, else its default.
type config struct {
	Addr              string
	DB                string
	LogLevel          slog.Level
	LogFormat         string
	BodyLimit         int64
	SheetLimit        int64
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	RequestTimeout    time.Duration
	ShutdownTimeout   time.Duration
	MetricsAddr       string
	AuthFailureLimit  int
	AuthFailureWindow time.Duration
	TrustProxy        bool
	DBMaxConns        int
	TLSCert           string
	TLSKey            string
	BootstrapOrg      string
	BootstrapUser     string
	LogKey            string
	WitnessKeys       string
	// ReportZone is the time zone of the times in reports; nil keeps the
	// reports' own default, China Standard Time (UTC+8).
	ReportZone *time.Location
}

// option is one setting: its flag, its variable, its default and where it
// goes.
type option struct {
	flag, env, def, usage string
	set                   func(string) error
	isBool                bool
}

func serveOptions(c *config) []option {
	return []option{
		{"addr", "SSRA_ADDR", "127.0.0.1:8080", "listen address (host:port)", str(&c.Addr), false},
		{"db", "SSRA_DATABASE_URL", "./ssra.db", "SQLite file path, or postgres:// URL", str(&c.DB), false},
		{"db-max-conns", "SSRA_DB_MAX_CONNS", "10", "largest number of PostgreSQL connections (SQLite: of reader connections)", integer(&c.DBMaxConns), false},
		{"tls-cert", "SSRA_TLS_CERT", "", "serve HTTPS with this PEM certificate (chain) file; needs -tls-key", str(&c.TLSCert), false},
		{"tls-key", "SSRA_TLS_KEY", "", "PEM private key file of -tls-cert", str(&c.TLSKey), false},
		{"log-level", "SSRA_LOG_LEVEL", "info", "log level: debug, info, warn, error", level(&c.LogLevel), false},
		{"log-format", "SSRA_LOG_FORMAT", "json", "log format: json or text", oneOf(&c.LogFormat, "json", "text"), false},
		{"body-limit", "SSRA_BODY_LIMIT", "1M", "largest request body: bytes, or with K or M", size(&c.BodyLimit), false},
		{"sheet-limit", "SSRA_SHEET_LIMIT", "10M", "largest uploaded spreadsheet (XLSX or CSV): bytes, or with K or M", size(&c.SheetLimit), false},
		{"read-header-timeout", "SSRA_READ_HEADER_TIMEOUT", "10s", "time to read request headers", dur(&c.ReadHeaderTimeout), false},
		{"read-timeout", "SSRA_READ_TIMEOUT", "30s", "time to read a whole request", dur(&c.ReadTimeout), false},
		{"write-timeout", "SSRA_WRITE_TIMEOUT", "60s", "time to write a response", dur(&c.WriteTimeout), false},
		{"idle-timeout", "SSRA_IDLE_TIMEOUT", "120s", "keep-alive idle time", dur(&c.IdleTimeout), false},
		{"request-timeout", "SSRA_REQUEST_TIMEOUT", "30s", "deadline of each request's work (0: none)", dur(&c.RequestTimeout), false},
		{"shutdown-timeout", "SSRA_SHUTDOWN_TIMEOUT", "30s", "time given to in-flight requests on SIGINT/SIGTERM", dur(&c.ShutdownTimeout), false},
		{"metrics-addr", "SSRA_METRICS_ADDR", "", "serve /metrics without a key on this separate address (default: on the main address, a key of the operator role)", str(&c.MetricsAddr), false},
		{"auth-failure-limit", "SSRA_AUTH_FAILURE_LIMIT", "10", "failed authentications per client address and window before 429 (negative: no limit)", integer(&c.AuthFailureLimit), false},
		{"auth-failure-window", "SSRA_AUTH_FAILURE_WINDOW", "1m", "window of the authentication failure limit", dur(&c.AuthFailureWindow), false},
		{"trust-proxy", "SSRA_TRUST_PROXY", "false", "take the client address from X-Forwarded-For (behind a reverse proxy only)", boolean(&c.TrustProxy), true},
		{"bootstrap-org", "SSRA_BOOTSTRAP_ORG", "ssra", "name of the organisation created on first start", str(&c.BootstrapOrg), false},
		{"bootstrap-user", "SSRA_BOOTSTRAP_USER", "admin", "name of the admin user created on first start", str(&c.BootstrapUser), false},
		logKeyOption(&c.LogKey),
		witnessKeysOption(&c.WitnessKeys),
		{"report-zone", "SSRA_REPORT_ZONE", "", "time zone of the times in reports: an IANA name such as Asia/Shanghai or UTC (default: China Standard Time, UTC+8)", zone(&c.ReportZone), false},
	}
}

// parseOptions applies defaults, then the environment, then the flags, so
// that a flag wins over a variable and a variable over a default. A bad
// value names its flag or variable.
func parseOptions(fs *flag.FlagSet, opts []option, args []string, getenv func(string) string) error {
	for _, o := range opts {
		if err := o.set(o.def); err != nil {
			return fmt.Errorf("default of -%s: %w", o.flag, err)
		}
	}
	for _, o := range opts {
		if v := getenv(o.env); v != "" {
			if err := o.set(v); err != nil {
				return fmt.Errorf("%s=%q: %w", o.env, v, err)
			}
		}
	}
	for _, o := range opts {
		usage := fmt.Sprintf("%s (env %s, default %q)", o.usage, o.env, o.def)
		if o.isBool {
			fs.BoolFunc(o.flag, usage, o.set)
		} else {
			fs.Func(o.flag, usage, o.set)
		}
	}
	fs.SetOutput(io.Discard)
	return fs.Parse(args)
}

func str(p *string) func(string) error { return func(s string) error { *p = s; return nil } }

func oneOf(p *string, allowed ...string) func(string) error {
	return func(s string) error {
		for _, a := range allowed {
			if s == a {
				*p = s
				return nil
			}
		}
		return fmt.Errorf("want one of %s", strings.Join(allowed, ", "))
	}
}

func level(p *slog.Level) func(string) error {
	return func(s string) error {
		if err := p.UnmarshalText([]byte(s)); err != nil {
			return fmt.Errorf("unknown level %q: want one of debug, info, warn, error", s)
		}
		return nil
	}
}

// zone parses an IANA time zone name; the empty string leaves the zone nil.
func zone(p **time.Location) func(string) error {
	return func(s string) error {
		if s == "" {
			*p = nil
			return nil
		}
		loc, err := time.LoadLocation(s)
		if err != nil || s == "Local" {
			return fmt.Errorf("unknown time zone %q: want an IANA name such as Asia/Shanghai or UTC", s)
		}
		*p = loc
		return nil
	}
}

func dur(p *time.Duration) func(string) error {
	return func(s string) error {
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		if d < 0 {
			return fmt.Errorf("must not be negative")
		}
		*p = d
		return nil
	}
}

func integer(p *int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("not an integer")
		}
		*p = n
		return nil
	}
}

func boolean(p *bool) func(string) error {
	return func(s string) error {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("not a boolean")
		}
		*p = b
		return nil
	}
}

// size parses a byte count with an optional K or M suffix (powers of 1024).
func size(p *int64) func(string) error {
	return func(s string) error {
		mult := int64(1)
		switch {
		case strings.HasSuffix(s, "K"):
			mult, s = 1<<10, strings.TrimSuffix(s, "K")
		case strings.HasSuffix(s, "M"):
			mult, s = 1<<20, strings.TrimSuffix(s, "M")
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 || n > (1<<40)/mult {
			return fmt.Errorf("want a positive size such as 1048576, 512K or 1M")
		}
		*p = n * mult
		return nil
	}
}
