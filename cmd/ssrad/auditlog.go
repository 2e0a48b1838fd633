package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// logKeyOption is the -log-key flag: the file holding the key that signs
// the audit log's checkpoints. It lives outside the database, so that an
// operator of the database cannot sign a rewritten log.
func logKeyOption(p *string) option {
	return option{"log-key", "SSRA_LOG_KEY", "", "file holding the key that signs the audit log's checkpoints (made by \"ssrad logkey generate\"); without one, checkpoints are unsigned", str(p), false}
}

// witnessKeysOption is the -witness-keys flag: the file of the public keys
// of the witnesses whose cosignatures of checkpoints the server accepts
// and audit verify checks.
func witnessKeysOption(p *string) option {
	return option{"witness-keys", "SSRA_WITNESS_KEYS", "", "file of the witnesses' public keys (C2SP tlog-cosignature), one a line, # comments: the server accepts and serves their cosignatures of checkpoints, audit verify checks them", str(p), false}
}

// loadWitnesses reads the witness keys file; "" is no witnesses.
func loadWitnesses(path string) ([]note.Verifier, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("witness keys: %w", err)
	}
	var out []note.Verifier
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := sqlstore.ParseWitnessKey(line)
		if err != nil {
			return nil, fmt.Errorf("witness keys %s line %d: %w", path, i+1, err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("witness keys %s: no key in the file", path)
	}
	return out, nil
}

// loadLogKey reads the signer key file; "" is no key.
func loadLogKey(path string) (*sqlstore.LogKey, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	k, err := sqlstore.ParseLogKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", path, err)
	}
	return &k, nil
}

// logkeyCmd is "ssrad logkey generate -origin NAME -out FILE": it writes a
// new signer key to FILE, readable by its owner only, and prints the
// verifier key, which is public: give it to whoever checks the log.
func logkeyCmd(args []string, out io.Writer) error {
	if _, args, err := sub(args, "logkey", "generate"); err != nil {
		return err
	} else {
		fs := flag.NewFlagSet("logkey generate", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		origin := fs.String("origin", "", "the log's name, first line of every checkpoint (such as example.gov.cn/ssra-audit)")
		file := fs.String("out", "", "file to write the signer key to (must not exist)")
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return helpText{flagUsage("ssrad logkey generate", fs)}
			}
			return usagef("logkey generate: %v", err)
		}
		if err := required("logkey generate", map[string]string{"origin": *origin, "out": *file}); err != nil {
			return err
		}
		if fs.NArg() > 0 || strings.ContainsAny(*origin, " +\n") {
			return usagef("logkey generate: -origin is one word without spaces or '+'")
		}
		skey, vkey, err := sqlstore.GenerateLogKey(rand.Reader, *origin)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(*file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("logkey generate: %w", err)
		}
		if _, err := fmt.Fprintln(f, skey); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(out, "signer key written to %s (keep it outside the database and its backups; serve with -log-key %s)\n", *file, *file)
		fmt.Fprintf(out, "verifier key (public, give it to whoever checks the log):\n%s\n", vkey)
	}
	return nil
}

func auditCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	verb, args, err := sub(args, "audit", "verify", "checkpoint")
	if err != nil {
		return err
	}
	var keyFile, vkey, saved, witnessFile string
	s, err := adminFlagsCases(ctx, "audit "+verb, args, getenv, nil, logKeyOption(&keyFile), witnessKeysOption(&witnessFile),
		option{"log-verifier", "SSRA_LOG_VERIFIER", "", "the log's public verifier key (instead of -log-key)", str(&vkey), false},
		option{"checkpoint", "SSRA_AUDIT_CHECKPOINT", "", "verify: a checkpoint saved earlier outside the database; the log must extend it", str(&saved), false})
	if err != nil {
		return err
	}
	defer s.Close()
	if verb == "checkpoint" {
		// What a cron job copies elsewhere: the latest checkpoint note.
		cp, err := s.LatestCheckpoint(ctx)
		if err != nil {
			return err
		}
		_, err = out.Write(cp.Note)
		return err
	}
	var o sqlstore.VerifyOptions
	switch {
	case vkey != "":
		if o.Verifier, err = note.NewVerifier(strings.TrimSpace(vkey)); err != nil {
			return usagef("audit verify: -log-verifier: %v", err)
		}
	case keyFile != "":
		k, err := loadLogKey(keyFile)
		if err != nil {
			return err
		}
		o.Verifier = k.Verifier
	}
	if o.Witnesses, err = loadWitnesses(witnessFile); err != nil {
		return err
	}
	if saved != "" {
		if o.Saved, err = os.ReadFile(saved); err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
	}
	rep, err := s.VerifyLog(ctx, o)
	if err != nil {
		return err
	}
	if !rep.Signed {
		fmt.Fprintln(out, "warning: no verifier key given (-log-verifier or -log-key): checkpoint signatures were not checked")
	}
	if rep.Cosignatures > 0 && !rep.Witnessed {
		fmt.Fprintf(out, "warning: no witness keys given (-witness-keys): %d cosignatures were not checked\n", rep.Cosignatures)
	}
	if !rep.OK {
		return errors.New("audit log does not verify:\n  " + strings.Join(rep.Findings, "\n  "))
	}
	fmt.Fprintf(out, "audit log intact: %d leaves (%d pending), root %s, %d checkpoints, %d records match their latest leaf\n",
		rep.Leaves, rep.Pending, rep.Root, rep.Checkpoints, rep.Records)
	fmt.Fprintf(out, "casework facts: %d cases' facts rows are what their record bodies give\n", rep.CaseFacts)
	fmt.Fprintf(out, "casework rollup: %d cells match the case facts they sum\n", rep.RollupCells)
	if rep.Witnessed {
		fmt.Fprintf(out, "%d cosignatures by witnesses verify against the checkpoints they cosigned\n", rep.Cosignatures)
	}
	if o.Saved != nil {
		fmt.Fprintf(out, "the log is an append-only extension of the checkpoint in %s\n", saved)
	}
	return nil
}
