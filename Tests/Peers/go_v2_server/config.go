package main

import (
	"flag"
	"fmt"
	"os"
	"time"
)

// config is everything the command line sets.
type config struct {
	maxSeconds   float64 // exit by itself after this long (peer_common.py's --max-seconds)
	noStdinWatch bool    // do not exit when stdin reaches EOF
	tlsCert      string  // --tls CERT KEY: serve TLS (ALPN h2) instead of h2c
	tlsKey       string
	apiKey       string // accept only `authorization: Key <apiKey>`; empty: any `Key <token>`
	verbose      bool   // grpc-go's info logs to stderr too

	// keepalive.ServerParameters.
	maxConnectionAge      time.Duration // 0: infinity (grpc-go's default)
	maxConnectionAgeGrace time.Duration // 0: infinity (grpc-go's default)
	maxConnectionIdle     time.Duration // 0: infinity
	keepaliveTime         time.Duration // 0: grpc-go's default (2 h)
	keepaliveTimeout      time.Duration // 0: grpc-go's default (20 s)

	// keepalive.EnforcementPolicy (enforcement is always on in grpc-go).
	keepaliveMinTime    time.Duration
	permitWithoutStream bool

	maxConcurrentStreams uint // 0: grpc-go's default (no limit)
	maxMessageBytes      int
	streamInterval       time.Duration // pause before each StreamAnnotations message
}

// defaultMinTime is grpc-go's own EnforcementPolicy.MinTime default.
const defaultMinTime = 5 * time.Minute

const mib = 1024 * 1024

// parseConfig reads os.Args. `--tls CERT KEY` takes two values, as in the Python peers, which
// the flag package cannot express, so it is taken out of the arguments first.
func parseConfig() config {
	var c config
	args, cert, key, err := takeTLS(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	c.tlsCert, c.tlsKey = cert, key

	fs := flag.NewFlagSet("go_v2_server", flag.ExitOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: go_v2_server [--tls CERT KEY] [flags]\n"+
			"A clarifai.api.V2 annotation server on grpc-go; prints `PORT <n>` once listening.")
		fs.PrintDefaults()
	}
	fs.Float64Var(&c.maxSeconds, "max-seconds", 120, "exit by itself after this many seconds")
	fs.BoolVar(&c.noStdinWatch, "no-stdin-watch", false, "do not exit when stdin reaches EOF")
	fs.StringVar(&c.apiKey, "api-key", "", "accept only `authorization: Key KEY` (default: any `Key <token>`)")
	fs.BoolVar(&c.verbose, "verbose", false, "log grpc-go's info messages to stderr")
	ms := func(target *time.Duration, name string, def time.Duration, usage string) {
		fs.Func(name, usage+fmt.Sprintf(" (milliseconds, default %d)", def.Milliseconds()), func(s string) error {
			var v float64
			if _, err := fmt.Sscan(s, &v); err != nil || v < 0 {
				return fmt.Errorf("not a non-negative number of milliseconds: %q", s)
			}
			*target = time.Duration(v * float64(time.Millisecond))
			return nil
		})
		*target = def
	}
	ms(&c.maxConnectionAge, "max-connection-age-ms", 0, "keepalive.ServerParameters.MaxConnectionAge; 0 is infinity")
	ms(&c.maxConnectionAgeGrace, "max-connection-age-grace-ms", 0,
		"keepalive.ServerParameters.MaxConnectionAgeGrace; 0 is infinity")
	ms(&c.maxConnectionIdle, "max-connection-idle-ms", 0, "keepalive.ServerParameters.MaxConnectionIdle; 0 is infinity")
	ms(&c.keepaliveTime, "keepalive-time-ms", 0, "keepalive.ServerParameters.Time (server pings); 0 is grpc-go's 2 h")
	ms(&c.keepaliveTimeout, "keepalive-timeout-ms", 0, "keepalive.ServerParameters.Timeout; 0 is grpc-go's 20 s")
	ms(&c.keepaliveMinTime, "keepalive-min-time-ms", defaultMinTime,
		"keepalive.EnforcementPolicy.MinTime: client PINGs closer together earn strikes")
	fs.BoolVar(&c.permitWithoutStream, "permit-without-stream", false,
		"keepalive.EnforcementPolicy.PermitWithoutStream: allow PINGs when no stream is open")
	fs.UintVar(&c.maxConcurrentStreams, "max-concurrent-streams", 0,
		"SETTINGS_MAX_CONCURRENT_STREAMS; 0 is grpc-go's default (no limit)")
	fs.IntVar(&c.maxMessageBytes, "max-message-bytes", 64*mib, "largest message received or sent")
	ms(&c.streamInterval, "stream-interval-ms", 0,
		"pause before each StreamAnnotations message (metadata x-stream-interval-ms overrides it per call)")
	_ = fs.Parse(args)
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "go_v2_server: unexpected arguments %q\n", fs.Args())
		os.Exit(2)
	}
	return c
}

// takeTLS removes `--tls CERT KEY` (or `-tls`) from args.
func takeTLS(args []string) (rest []string, cert, key string, err error) {
	for i := 0; i < len(args); i++ {
		if args[i] == "--tls" || args[i] == "-tls" {
			if i+2 >= len(args) {
				return nil, "", "", fmt.Errorf("go_v2_server: --tls needs CERT and KEY")
			}
			cert, key = args[i+1], args[i+2]
			i += 2
			continue
		}
		rest = append(rest, args[i])
	}
	return rest, cert, key, nil
}
