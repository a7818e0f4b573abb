package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// clientOptions are the Kafka client's settings: a group member that starts at the earliest offset
// when the group has none, commits only by hand, and holds off rebalances while it handles what it
// polled so that it commits only partitions it still owns.
func clientOptions(opts *Options) ([]kgo.Opt, error) {
	kopts := []kgo.Opt{
		kgo.SeedBrokers(opts.Brokers...),
		kgo.ClientID(name),
		kgo.ConsumerGroup(opts.Group),
		kgo.ConsumeTopics(opts.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.WithLogger(kgo.BasicLogger(os.Stderr, kgo.LogLevelWarn, func() string { return name + ": kafka: " })),
	}
	if opts.TLSCAFile != "" {
		pem, err := os.ReadFile(opts.TLSCAFile)
		if err != nil {
			return nil, &usageError{fmt.Errorf("--tls-ca: %w", err)}
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, &usageError{fmt.Errorf("--tls-ca %s holds no PEM certificate", opts.TLSCAFile)}
		}
		kopts = append(kopts, kgo.DialTLSConfig(&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}))
	}
	if opts.SASLUsername != "" {
		raw, err := os.ReadFile(opts.SASLPasswordFile)
		if err != nil {
			return nil, &usageError{fmt.Errorf("--sasl-password-file: %w", err)}
		}
		password := strings.TrimRight(string(raw), "\r\n")
		if password == "" {
			return nil, &usageError{fmt.Errorf("--sasl-password-file %s is empty", opts.SASLPasswordFile)}
		}
		auth := scram.Auth{User: opts.SASLUsername, Pass: password}
		kopts = append(kopts, kgo.SASL(auth.AsSha512Mechanism()))
	}
	return kopts, nil
}

// Consume reads records until opts.MaxEvents were handled (or, with 0, until ctx ends). Each record
// is handled — its line written and flushed to out — before its offset is committed.
func Consume(ctx context.Context, opts *Options, h *Handler, out io.Writer) error {
	kopts, err := clientOptions(opts)
	if err != nil {
		return err
	}
	client, err := kgo.NewClient(kopts...)
	if err != nil {
		return fmt.Errorf("cannot create the Kafka client: %w", err)
	}
	defer func() {
		client.AllowRebalance()
		client.Close() // leaves the group
	}()
	if err := connect(ctx, client, opts.Brokers); err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	handled := 0
	for opts.MaxEvents == 0 || handled < opts.MaxEvents {
		limit := -1
		if opts.MaxEvents > 0 {
			limit = opts.MaxEvents - handled
		}
		fetches := client.PollRecords(ctx, limit)
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		if err := fetchError(fetches); err != nil {
			return err
		}
		for _, rec := range fetches.Records() {
			line := h.Handle(rec.Partition, rec.Offset, rec.Key, rec.Value)
			if _, err := w.Write(append(line, '\n')); err != nil {
				return fmt.Errorf("cannot write the line: %w", err)
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("cannot write the line: %w", err)
			}
			if err := commit(ctx, client, rec); err != nil {
				return fmt.Errorf("partition %d offset %d was handled but its offset not committed (it will be read again): %w",
					rec.Partition, rec.Offset, err)
			}
			handled++
		}
		client.AllowRebalance()
	}
	return nil
}

// commit commits a handled record's offset; a stop asked for meanwhile waits for it, so a line
// printed is not handed on again by the next run.
func commit(ctx context.Context, client *kgo.Client, rec *kgo.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return client.CommitRecords(ctx, rec)
}

// connect waits until a broker answers, for up to a minute while none can be reached, so that a
// refused login or an untrusted certificate ends the run with its reason rather than being retried
// in the background.
func connect(ctx context.Context, client *kgo.Client, brokers []string) error {
	deadline := time.Now().Add(time.Minute)
	for {
		attempt, cancel := context.WithTimeout(ctx, 15*time.Second)
		err := client.Ping(attempt)
		cancel()
		if err == nil || ctx.Err() != nil {
			return nil
		}
		if !unreachable(err) || time.Now().After(deadline) {
			return fmt.Errorf("cannot use the brokers %s: %w", strings.Join(brokers, ","), err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

// unreachable is a broker that could not be dialled or did not answer in time: worth another try.
// A TLS or SASL failure is not.
func unreachable(err error) bool {
	var op *net.OpError
	return (errors.As(err, &op) && op.Op == "dial") || errors.Is(err, context.DeadlineExceeded)
}

// fetchError reports what polling failed with. Kafka's own non-retriable errors (a refused login, a
// missing ACL, an unknown group protocol) end the run; anything else — a broker gone for a while —
// is logged and retried by the client.
func fetchError(fetches kgo.Fetches) error {
	var fatal error
	fetches.EachError(func(topic string, partition int32, err error) {
		where := "the consumer group"
		if topic != "" {
			where = fmt.Sprintf("%s[%d]", topic, partition)
		}
		var kafkaErr *kerr.Error
		if errors.As(err, &kafkaErr) && !kafkaErr.Retriable {
			if fatal == nil {
				fatal = fmt.Errorf("cannot consume (%s): %w", where, err)
			}
			return
		}
		if !errors.Is(err, context.Canceled) {
			fmt.Fprintf(os.Stderr, "%s: %s: %v (retrying)\n", name, where, err)
		}
	})
	return fatal
}
