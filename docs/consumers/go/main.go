// Command paystream-results-consumer reads Paystream result events from Kafka, verifies each
// event's signature with Paystream's published keys, decrypts the fields it holds a key for,
// deduplicates by event id, prints one JSON line per record and commits the record's offset after
// it was handled. See README.md and docs/consumers/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const name = "paystream-results-consumer"

// Options are the consumer's arguments.
type Options struct {
	Brokers          []string
	Topic            string
	Group            string
	TrustFile        string
	MaxEvents        int
	TLSCAFile        string
	SASLUsername     string
	SASLPasswordFile string
}

const usageText = `usage: ` + name + ` --brokers HOST:PORT[,HOST:PORT] --topic NAME --group ID --trust FILE
       [--max-events N] [--tls-ca FILE] [--sasl-username NAME --sasl-password-file FILE]

  --brokers HOST:PORT[,...]   the Kafka bootstrap servers
  --topic NAME                the results topic (paystream.results)
  --group ID                  the consumer group
  --trust FILE                the signing and encryption keys to trust (JSON, see README.md)
  --max-events N              stop after N records (0 or absent: run until stopped)
  --tls-ca FILE               connect over TLS, the brokers verified against this CA (PEM)
  --sasl-username NAME        SASL/SCRAM-SHA-512 over TLS as this user (needs --tls-ca)
  --sasl-password-file FILE   the file holding that user's password

Prints one JSON line per record on stdout and commits its offset after it.
`

// errHelp asks for the usage text and a successful exit.
var errHelp = errors.New("help requested")

// ParseArgs reads the arguments; any error is a usage error (exit code 2).
func ParseArgs(args []string, usage io.Writer) (*Options, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o Options
	var brokers string
	fs.StringVar(&brokers, "brokers", "", "")
	fs.StringVar(&o.Topic, "topic", "", "")
	fs.StringVar(&o.Group, "group", "", "")
	fs.StringVar(&o.TrustFile, "trust", "", "")
	fs.IntVar(&o.MaxEvents, "max-events", 0, "")
	fs.StringVar(&o.TLSCAFile, "tls-ca", "", "")
	fs.StringVar(&o.SASLUsername, "sasl-username", "", "")
	fs.StringVar(&o.SASLPasswordFile, "sasl-password-file", "", "")
	fs.Usage = func() {} // the usage text is printed for --help only; errors say what is wrong
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(usage, usageText)
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, b := range strings.Split(brokers, ",") {
		if b = strings.TrimSpace(b); b != "" {
			o.Brokers = append(o.Brokers, b)
		}
	}
	switch {
	case len(o.Brokers) == 0:
		return nil, errors.New("--brokers is required (host:port[,host:port])")
	case o.Topic == "":
		return nil, errors.New("--topic is required")
	case o.Group == "":
		return nil, errors.New("--group is required")
	case o.TrustFile == "":
		return nil, errors.New("--trust is required (the trust file, see README.md)")
	case o.MaxEvents < 0:
		return nil, errors.New("--max-events must be 0 or more")
	case (o.SASLUsername == "") != (o.SASLPasswordFile == ""):
		return nil, errors.New("--sasl-username and --sasl-password-file go together")
	case o.SASLUsername != "" && o.TLSCAFile == "":
		return nil, errors.New("SASL/SCRAM is used over TLS only: give --tls-ca too")
	}
	return &o, nil
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	opts, err := ParseArgs(args, os.Stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\nrun %s --help for the arguments\n", name, err, name)
		return 2
	}
	trust, err := LoadTrust(opts.TrustFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: --trust %s: %v\n", name, opts.TrustFile, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Consume(ctx, opts, NewHandler(trust), os.Stdout); err != nil {
		var usage *usageError
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		if errors.As(err, &usage) {
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a problem with an argument found only when it is used (an unreadable file).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }
