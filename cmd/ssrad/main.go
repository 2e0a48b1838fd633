// Command ssrad is the ssra server: the REST API over SQLite (default, a
// file) or PostgreSQL, with API keys, an audit log and graceful shutdown.
//
//	ssrad [serve] [flags]          run the server (default)
//	ssrad migrate [-db …]          apply migrations and exit
//	ssrad orgs create|list|parent … manage organisations and their hierarchy
//	ssrad users create|list|roles|disable|enable …
//	ssrad keys create|list|revoke|rotate …
//	ssrad audit verify [-db …]     check the transparency log
//	ssrad audit checkpoint         print the latest checkpoint
//	ssrad rollup repair [-dry-run] rebuild casework rollup cells from the case facts
//	ssrad logkey generate …        make the key that signs checkpoints
//	ssrad backup -to FILE          copy a SQLite database while it is in use
//
// Every setting has a flag and an SSRA_* environment variable; the flag wins
// over the variable and the variable over the default. On first start with
// an empty database, ssrad creates an organisation, an admin user and an API
// key, and prints the key once on standard output.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	// The time zone database, so that -report-zone names resolve on a
	// machine without one.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one stops the process at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError is a command line that cannot be run; it exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// helpText is the answer to -h: the usage of the command asked about,
// printed on standard output with exit status 0.
type helpText struct{ text string }

func (h helpText) Error() string { return "help requested" }

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// run executes the command line and returns the exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && isHelp(args[0]) {
		cmd = "help"
	} else if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		err = migrateCmd(ctx, args, getenv, stdout)
	case "orgs":
		err = orgsCmd(ctx, args, getenv, stdout, stderr)
	case "users":
		err = usersCmd(ctx, args, getenv, stdout, stderr)
	case "keys":
		err = keysCmd(ctx, args, getenv, stdout, stderr)
	case "audit":
		err = auditCmd(ctx, args, getenv, stdout)
	case "rollup":
		err = rollupCmd(ctx, args, getenv, stdout)
	case "backup":
		err = backupCmd(ctx, args, getenv, stdout)
	case "seed":
		err = seedCmd(ctx, args, getenv, stdout)
	case "logkey":
		err = logkeyCmd(args, stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		fmt.Fprint(stdout, "\nThe server's flags (ssrad serve):\n")
		printServeFlags(stdout)
		return 0
	default:
		err = usagef("unknown command %q", cmd)
	}
	var ue usageError
	var h helpText
	switch {
	case err == nil:
		return 0
	case errors.As(err, &h):
		fmt.Fprint(stdout, h.text)
		return 0
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, usage)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ssrad: %v\n\n%s", err, usage)
		return 2
	}
	fmt.Fprintf(stderr, "ssrad: %v\n", err)
	return 1
}

const usage = `Usage:
  ssrad [serve] [flags]                         run the server
  ssrad migrate                                 apply database migrations
  ssrad orgs create -name NAME [-parent ORG_ID] create an organisation (below another)
  ssrad orgs parent -id ORG_ID -parent ORG_ID|-root
                                                move an organisation in the hierarchy
  ssrad orgs list
  ssrad users create -org ORG_ID -name NAME -roles admin,assessor
  ssrad users list [-org ORG_ID]
  ssrad users roles -id USER_ID -roles reviewer,viewer
  ssrad users disable|enable -id USER_ID
  ssrad keys create -user USER_ID [-name NAME] [-expires DATE]
                                                print a new API key once
  ssrad keys list [-user USER_ID]
  ssrad keys revoke -id KEY_ID
  ssrad keys rotate -id KEY_ID [-expires DATE]  revoke a key, print its successor once
  ssrad audit verify [-log-verifier VKEY | -log-key FILE] [-checkpoint FILE]
                     [-witness-keys FILE] [-calendar CAL]
                                                check the transparency log: the tree
                                                from its leaves, every record against
                                                its latest leaf, checkpoint signatures,
                                                witnesses' cosignatures, and that it
                                                extends a saved checkpoint; each case's
                                                facts row against its body (working
                                                days by the server's -calendar) and the
                                                casework rollup against the facts
  ssrad audit checkpoint                        print the latest checkpoint (save it
                                                outside the database)
  ssrad rollup repair [-dry-run] [-calendar CAL]
                                                rewrite from its record body each case
                                                facts row, then rebuild from the facts
                                                each casework rollup cell, that audit
                                                verify names; prints each and counts
  ssrad logkey generate -origin NAME -out FILE  make the key that signs checkpoints
                                                (or a witness's key that cosigns them);
                                                prints its public verifier key
  ssrad backup -to FILE                         copy a SQLite database while it serves
  ssrad seed [-orgs N -complaints M -disputes K -bulk]
                                                synthetic casework for trials and benchmarks

Every command takes -db (env SSRA_DATABASE_URL, default ./ssra.db): a SQLite
file path or a postgres:// URL. Only the server (and migrate) create a
database; the other commands refuse a SQLite file that does not exist.
Every command and subcommand answers -h with its own usage and flags.
Creating commands print the new ID (or key) alone on standard output.
A lost first key: "ssrad users list" shows the admin user's ID, and
"ssrad keys create -user USER_ID" makes a new key for it.
Roles: admin, assessor, reviewer, decision_maker, appraiser, caseworker, viewer,
and operator (服务运维), the server's operator: GET /metrics on the main address
and the whole audit log's GET /v1/audit/verify (an organisation's admin gets
only its own organisation's). Only these commands grant or remove operator,
change a user who holds it or issue their keys; over REST an organisation's
admin may not (403). Grant it with "ssrad users roles -id USER_ID -roles
admin,operator", or to a user of its own with "ssrad users create".
`
