package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// adminFlags parses a subcommand's flags, with -db from the flag, else
// SSRA_DATABASE_URL, else ./ssra.db, and opens the migrated store. -h
// answers with the subcommand's own usage and flags. An administrative
// command never creates a database: a SQLite file that does not exist is
// an error naming the path and where it came from (only migrate, whose
// job is to prepare a database, passes create). Extra options are the
// subcommand's own settings that also come from the environment.
func adminFlags(ctx context.Context, name string, args []string, getenv func(string) string, define func(fs *flag.FlagSet), extra ...option) (*sqlstore.Store, error) {
	return adminFlagsCreate(ctx, name, args, getenv, define, false, extra...)
}

func adminFlagsCreate(ctx context.Context, name string, args []string, getenv func(string) string, define func(fs *flag.FlagSet), create bool, extra ...option) (*sqlstore.Store, error) {
	return adminFlagsOpen(ctx, name, args, getenv, define, create, nil, extra...)
}

// adminFlagsCases is adminFlags for a command that derives cases' facts
// from their bodies (audit verify, rollup repair): it takes the server's
// -calendar too, and opens the store with that calendar.
func adminFlagsCases(ctx context.Context, name string, args []string, getenv func(string) string, define func(fs *flag.FlagSet), extra ...option) (*sqlstore.Store, error) {
	var calendar string
	return adminFlagsOpen(ctx, name, args, getenv, define, false, func() ([]sqlstore.Option, error) {
		cal, err := loadCalendar(calendar)
		if err != nil {
			return nil, err
		}
		return []sqlstore.Option{sqlstore.WithCalendar(cal)}, nil
	}, append(extra, calendarOption(&calendar))...)
}

// adminFlagsOpen is adminFlagsCreate whose store is opened with the
// options storeOpts gives once the flags are read (nil: none).
func adminFlagsOpen(ctx context.Context, name string, args []string, getenv func(string) string, define func(fs *flag.FlagSet), create bool,
	storeOpts func() ([]sqlstore.Option, error), extra ...option) (*sqlstore.Store, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	var db string
	opts := append([]option{{"db", "SSRA_DATABASE_URL", "./ssra.db", "SQLite file path, or postgres:// URL", str(&db), false}}, extra...)
	if define != nil {
		define(fs)
	}
	if err := parseOptions(fs, opts, args, getenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, helpText{flagUsage("ssrad "+name, fs)}
		}
		return nil, usagef("%s: %v", name, err)
	}
	if fs.NArg() > 0 {
		return nil, usagef("%s: unexpected arguments %q", name, fs.Args())
	}
	if !create {
		if err := databaseExists(db); err != nil {
			return nil, err
		}
	}
	var so []sqlstore.Option
	if storeOpts != nil {
		var err error
		if so, err = storeOpts(); err != nil {
			return nil, err
		}
	}
	return openStore(ctx, db, so...)
}

// flagUsage is a command's usage line followed by its flags.
func flagUsage(cmd string, fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s [flags]\n\nFlags:\n", cmd)
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

// databaseExists refuses a SQLite database file that is not there, so that
// an administrative command run in the wrong directory does not create an
// empty database and report on it. PostgreSQL URLs are left to the
// connection, which fails on a database that does not exist.
func databaseExists(dsn string) error {
	if sqlstore.IsPostgresURL(dsn) {
		return nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if rest, ok := strings.CutPrefix(path, "file:"); ok {
		path, _, _ = strings.Cut(rest, "?")
	}
	if path == "" || path == ":memory:" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("database %s does not exist: name the database with -db or SSRA_DATABASE_URL "+
			"(the server creates it on its first start, and so does ssrad migrate): %w", path, err)
	}
	return nil
}

func required(name string, values map[string]string) error {
	for flagName, v := range values {
		if v == "" {
			return usagef("%s: -%s is required", name, flagName)
		}
	}
	return nil
}

func parseRoles(s string) ([]ssra.Role, error) {
	var roles []ssra.Role
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		r, err := ssra.ParseRole(n)
		if err != nil {
			return nil, usagef("unknown role %q (roles: admin, assessor, reviewer, decision_maker, appraiser, caseworker, viewer, operator)", n)
		}
		roles = append(roles, r)
	}
	return roles, nil
}

func roleNames(rs []ssra.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.String()
	}
	return strings.Join(names, ",")
}

func sub(args []string, what string, verbs ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, usagef("%s: want one of %s", what, strings.Join(verbs, ", "))
	}
	if isHelp(args[0]) {
		var b strings.Builder
		fmt.Fprintf(&b, "Usage: ssrad %s %s [flags]\n\nRun \"ssrad %s VERB -h\" for a verb's flags.\n", what, strings.Join(verbs, "|"), what)
		return "", nil, helpText{b.String()}
	}
	for _, v := range verbs {
		if args[0] == v {
			return v, args[1:], nil
		}
	}
	return "", nil, usagef("%s: unknown command %q; want one of %s", what, args[0], strings.Join(verbs, ", "))
}

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	s, err := adminFlagsCreate(ctx, "migrate", args, getenv, nil, true)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema version %d (%s)\n", v, s.Dialect())
	return nil
}

func orgsCmd(ctx context.Context, args []string, getenv func(string) string, out, errOut io.Writer) error {
	verb, args, err := sub(args, "orgs", "create", "list", "parent")
	if err != nil {
		return err
	}
	var name, parent, id string
	var root bool
	s, err := adminFlags(ctx, "orgs "+verb, args, getenv, func(fs *flag.FlagSet) {
		switch verb {
		case "create":
			fs.StringVar(&name, "name", "", "organisation name")
			fs.StringVar(&parent, "parent", "", "ID of the organisation above it (上级机关), if any")
		case "parent":
			fs.StringVar(&id, "id", "", "organisation ID")
			fs.StringVar(&parent, "parent", "", "ID of the organisation to place it below")
			fs.BoolVar(&root, "root", false, "place it at the root, below no organisation")
		}
	})
	if err != nil {
		return err
	}
	defer s.Close()
	switch verb {
	case "create":
		if err := required("orgs create", map[string]string{"name": name}); err != nil {
			return err
		}
		o, err := s.CreateOrganisationUnder(ctx, sqlstore.System, name, parent)
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "organisation %q created; its ID:\n", o.Name)
		fmt.Fprintln(out, o.ID)
	case "parent":
		if err := required("orgs parent", map[string]string{"id": id}); err != nil {
			return err
		}
		if root == (parent != "") {
			return usagef("orgs parent: give either -parent ID or -root")
		}
		o, err := s.SetOrganisationParent(ctx, sqlstore.System, id, parent)
		if err != nil {
			return err
		}
		if o.Parent == "" {
			fmt.Fprintf(errOut, "organisation %q is at the root of the hierarchy\n", o.Name)
		} else {
			fmt.Fprintf(errOut, "organisation %q is below %s\n", o.Name, o.Parent)
		}
	case "list":
		os, err := s.Organisations(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tPARENT\tCREATED")
		for _, o := range os {
			p := o.Parent
			if p == "" {
				p = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.ID, o.Name, p, o.CreatedAt.Format(time.RFC3339))
		}
		return tw.Flush()
	}
	return nil
}

func usersCmd(ctx context.Context, args []string, getenv func(string) string, out, errOut io.Writer) error {
	verb, args, err := sub(args, "users", "create", "list", "roles", "disable", "enable")
	if err != nil {
		return err
	}
	var org, name, roles, id string
	s, err := adminFlags(ctx, "users "+verb, args, getenv, func(fs *flag.FlagSet) {
		switch verb {
		case "create":
			fs.StringVar(&org, "org", "", "organisation ID")
			fs.StringVar(&name, "name", "", "user name")
			fs.StringVar(&roles, "roles", "", "comma-separated roles (operator: the server's operator, granted only here)")
		case "list":
			fs.StringVar(&org, "org", "", "organisation ID (default: all)")
		case "roles":
			fs.StringVar(&id, "id", "", "user ID")
			fs.StringVar(&roles, "roles", "", "comma-separated roles, replacing the current ones (operator: the server's operator, granted only here)")
		default:
			fs.StringVar(&id, "id", "", "user ID")
		}
	})
	if err != nil {
		return err
	}
	defer s.Close()
	switch verb {
	case "create":
		if err := required("users create", map[string]string{"org": org, "name": name, "roles": roles}); err != nil {
			return err
		}
		rs, err := parseRoles(roles)
		if err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, sqlstore.System, org, name, rs)
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "user %q created with roles %s; its ID:\n", u.Name, roleNames(u.Roles))
		fmt.Fprintln(out, u.ID)
	case "list":
		us, err := s.Users(ctx, sqlstore.System, org)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tORG\tNAME\tROLES\tDISABLED")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", u.ID, u.OrgID, u.Name, roleNames(u.Roles), u.Disabled)
		}
		return tw.Flush()
	default:
		if err := required("users "+verb, map[string]string{"id": id}); err != nil {
			return err
		}
		u, err := s.User(ctx, sqlstore.System, id)
		if err != nil {
			return err
		}
		rs, disabled := u.Roles, u.Disabled
		switch verb {
		case "roles":
			if rs, err = parseRoles(roles); err != nil {
				return err
			}
		case "disable":
			disabled = true
		case "enable":
			disabled = false
		}
		// From the version read: a change made meanwhile (over REST) is
		// not overwritten; the command fails and can be run again.
		u, err = s.UpdateUser(ctx, sqlstore.System, id, u.Version, rs, disabled)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "user %s %q: roles %s, disabled %v\n", u.ID, u.Name, roleNames(u.Roles), u.Disabled)
	}
	return nil
}

func keysCmd(ctx context.Context, args []string, getenv func(string) string, out, errOut io.Writer) error {
	verb, args, err := sub(args, "keys", "create", "list", "revoke", "rotate")
	if err != nil {
		return err
	}
	var user, name, id, expires string
	s, err := adminFlags(ctx, "keys "+verb, args, getenv, func(fs *flag.FlagSet) {
		switch verb {
		case "create":
			fs.StringVar(&user, "user", "", "user ID")
			fs.StringVar(&name, "name", "cli", "a name for the key (where it is used)")
			fs.StringVar(&expires, "expires", "", "when the key stops working: RFC 3339 time or YYYY-MM-DD (midnight UTC); default never")
		case "list":
			fs.StringVar(&user, "user", "", "user ID (default: all)")
		case "revoke":
			fs.StringVar(&id, "id", "", "key ID (the part after ssra_, as listed)")
		case "rotate":
			fs.StringVar(&id, "id", "", "key ID (the part after ssra_, as listed)")
			fs.StringVar(&expires, "expires", "", "when the new key stops working: RFC 3339 time or YYYY-MM-DD (midnight UTC); default never")
		}
	})
	if err != nil {
		return err
	}
	defer s.Close()
	until, err := parseExpiry(expires)
	if err != nil {
		return err
	}
	switch verb {
	case "create":
		if err := required("keys create", map[string]string{"user": user}); err != nil {
			return err
		}
		key, k, err := s.IssueKey(ctx, sqlstore.System, user, store.KeySpec{Name: name, ExpiresAt: until})
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "API key %s for user %s%s; it is shown only now, on standard output:\n", k.ID, k.UserID, expiryNote(k))
		fmt.Fprintf(out, "key: %s\n", key)
	case "rotate":
		if err := required("keys rotate", map[string]string{"id": id}); err != nil {
			return err
		}
		key, k, err := s.RotateKey(ctx, sqlstore.System, id, until)
		if err != nil {
			return err
		}
		fmt.Fprintf(errOut, "key %s revoked; its successor %s for user %s%s is shown only now, on standard output:\n", id, k.ID, k.UserID, expiryNote(k))
		fmt.Fprintf(out, "key: %s\n", key)
	case "list":
		ks, err := s.Keys(ctx, sqlstore.System, user)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tNAME\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
		for _, k := range ks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.UserID, k.Name, k.CreatedAt.Format(time.RFC3339), when(k.ExpiresAt), when(k.LastUsedAt), when(k.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if err := required("keys revoke", map[string]string{"id": id}); err != nil {
			return err
		}
		k, err := s.RevokeKey(ctx, sqlstore.System, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "key %s revoked at %s\n", k.ID, k.RevokedAt.Format(time.RFC3339))
	}
	return nil
}

// parseExpiry reads -expires: empty is never, else an RFC 3339 time or a
// date YYYY-MM-DD, taken as its midnight in UTC.
func parseExpiry(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("-expires %q: want an RFC 3339 time (2027-06-30T00:00:00+08:00) or a date (2027-06-30)", s)
}

func expiryNote(k store.APIKey) string {
	if k.ExpiresAt == nil {
		return ""
	}
	return ", expiring " + k.ExpiresAt.Format(time.RFC3339)
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

func backupCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	var to string
	s, err := adminFlags(ctx, "backup", args, getenv, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "file to write the copy to (must not exist)")
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if to == "" {
		return usagef("backup: -to is required")
	}
	if err := s.Backup(ctx, to); err != nil {
		return err
	}
	fmt.Fprintf(out, "backup written to %s\n", to)
	return nil
}
