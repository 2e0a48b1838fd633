package main

import (
	"flag"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// Config precedence is tested inside the package: the binary's behaviour
// is covered end to end in e2e_test.go.
func TestConfigPrecedence(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		check   func(c config) bool
		wantErr string
	}{
		{"defaults", nil, nil, func(c config) bool {
			return c.Addr == "127.0.0.1:8080" && c.DB == "./ssra.db" && c.BodyLimit == 1<<20 && c.LogLevel == slog.LevelInfo &&
				c.ReadTimeout == 30*time.Second && c.MetricsAddr == "" && !c.TrustProxy && c.AuthFailureLimit == 10
		}, ""},
		{"env over default", nil, map[string]string{"SSRA_ADDR": "0.0.0.0:9000", "SSRA_DATABASE_URL": "postgres://db/ssra", "SSRA_BODY_LIMIT": "512K", "SSRA_LOG_LEVEL": "debug", "SSRA_TRUST_PROXY": "true"},
			func(c config) bool {
				return c.Addr == "0.0.0.0:9000" && c.DB == "postgres://db/ssra" && c.BodyLimit == 512<<10 && c.LogLevel == slog.LevelDebug && c.TrustProxy
			}, ""},
		{"flag over env", []string{"-addr", "127.0.0.1:7000", "-db=/var/lib/ssra.db", "-body-limit", "2M", "-trust-proxy=false", "-write-timeout", "5s"},
			map[string]string{"SSRA_ADDR": "0.0.0.0:9000", "SSRA_DATABASE_URL": "postgres://db/ssra", "SSRA_BODY_LIMIT": "512K", "SSRA_TRUST_PROXY": "true", "SSRA_WRITE_TIMEOUT": "1s"},
			func(c config) bool {
				return c.Addr == "127.0.0.1:7000" && c.DB == "/var/lib/ssra.db" && c.BodyLimit == 2<<20 && !c.TrustProxy && c.WriteTimeout == 5*time.Second
			}, ""},
		{"bare boolean flag", []string{"-trust-proxy"}, nil, func(c config) bool { return c.TrustProxy }, ""},
		{"empty env is unset", nil, map[string]string{"SSRA_ADDR": ""}, func(c config) bool { return c.Addr == "127.0.0.1:8080" }, ""},
		{"bad env names the variable", nil, map[string]string{"SSRA_READ_TIMEOUT": "soon"}, nil, "SSRA_READ_TIMEOUT"},
		{"bad env is reported even when a flag would override it", []string{"-body-limit", "1M"}, map[string]string{"SSRA_BODY_LIMIT": "lots"}, nil, "SSRA_BODY_LIMIT"},
		{"bad flag names the flag", []string{"-log-level", "loud"}, nil, nil, "log-level"},
		{"negative duration", []string{"-idle-timeout", "-1s"}, nil, nil, "idle-timeout"},
		{"unknown format", nil, map[string]string{"SSRA_LOG_FORMAT": "xml"}, nil, "SSRA_LOG_FORMAT"},
		{"zero body limit", []string{"-body-limit", "0"}, nil, nil, "body-limit"},
		{"unknown flag", []string{"-adress", "x"}, nil, nil, "adress"},
		{"report zone default", nil, nil, func(c config) bool { return c.ReportZone == nil }, ""},
		{"report zone by name", nil, map[string]string{"SSRA_REPORT_ZONE": "UTC"}, func(c config) bool { return c.ReportZone != nil && c.ReportZone.String() == "UTC" }, ""},
		{"bad report zone names the flag", []string{"-report-zone", "Mars/Olympus"}, nil, nil, "report-zone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c config
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			err := parseOptions(fs, serveOptions(&c), tc.args, func(k string) string { return tc.env[k] })
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got error %v, want one naming %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(c) {
				t.Fatalf("unexpected configuration: %+v", c)
			}
		})
	}
}
