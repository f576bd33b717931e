// Command go_v2_server is a clarifai.api.V2 test peer on grpc-go (Debian's 1.33), with the
// annotation methods over an in-memory store. The message code is generated at build time from
// the repository's protos/ (build.sh).
//
// It follows Tests/Peers/peer_common.py's lifecycle: it listens on 127.0.0.1:0, prints
// `PORT <n>` on stdout once the socket accepts connections, logs to stderr only, and exits
// with status 0 on SIGTERM or SIGINT, after --max-seconds, or when its stdin (a pipe) reaches
// EOF. On exit it prints one more stdout line, the counters (stats.go):
//
//	CONNECTIONS <k> CALLS <n> STREAMS <m> CANCELLED <c> PING_STRIKEOUTS <p>
package main

import (
	"net"
	"os"

	pb "clarifaipeer/clarifai/api"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/keepalive"
)

func main() {
	cfg := parseConfig()
	life := newLifecycle(cfg.maxSeconds, !cfg.noStdinWatch)
	life.install()

	counters := &counters{}
	installGRPCLogger(counters, cfg.verbose)
	options, err := serverOptions(cfg, counters)
	if err != nil {
		logf("%v", err)
		os.Exit(2)
	}
	server := grpc.NewServer(options...)
	pb.RegisterV2Server(server, &v2Server{
		store: newStore(), apiKey: cfg.apiKey, counters: counters, streamInterval: cfg.streamInterval,
	})

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		logf("could not bind 127.0.0.1:0: %v", err)
		os.Exit(2)
	}
	go func() {
		if err := server.Serve(countingListener{Listener: listener, counters: counters}); err != nil {
			logf("serve: %v", err)
			life.requestStop("serve failed")
		}
	}()
	port := listener.Addr().(*net.TCPAddr).Port
	transport := "h2c"
	if cfg.tlsCert != "" {
		transport = "TLS"
	}
	logf("listening on 127.0.0.1:%d (%s), max-connection-age %v, keepalive min-time %v, max %g s",
		port, transport, cfg.maxConnectionAge, cfg.keepaliveMinTime, cfg.maxSeconds)
	stdoutLine("PORT %d", port)

	reason := life.wait()
	logf("stopping: %s", reason)
	server.Stop() // closes the listener and every connection; pending calls fail at once
	stdoutLine("%s", counters.summary())
	os.Exit(0)
}

// serverOptions is grpc-go's configuration from the flags: keepalive recycling and
// enforcement, message limits, TLS, and the counting interceptors.
func serverOptions(cfg config, c *counters) ([]grpc.ServerOption, error) {
	options := []grpc.ServerOption{
		// MaxConnectionAge recycles connections: grpc-go sends GOAWAY after the age (±10 %
		// jitter), lets the calls in flight run for MaxConnectionAgeGrace, then closes.
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle:     cfg.maxConnectionIdle,
			MaxConnectionAge:      cfg.maxConnectionAge,
			MaxConnectionAgeGrace: cfg.maxConnectionAgeGrace,
			Time:                  cfg.keepaliveTime,
			Timeout:               cfg.keepaliveTimeout,
		}),
		// Enforcement is always on in grpc-go: a client PING sooner than MinTime after the last
		// one (or any PING without an open stream, unless PermitWithoutStream) is a strike, and
		// the third strike closes the connection with GOAWAY ENHANCE_YOUR_CALM "too_many_pings".
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			MinTime:             cfg.keepaliveMinTime,
			PermitWithoutStream: cfg.permitWithoutStream,
		}),
		grpc.MaxRecvMsgSize(cfg.maxMessageBytes),
		grpc.MaxSendMsgSize(cfg.maxMessageBytes),
		grpc.ChainUnaryInterceptor(c.unaryInterceptor),
		grpc.ChainStreamInterceptor(c.streamInterceptor),
	}
	if cfg.maxConcurrentStreams > 0 {
		options = append(options, grpc.MaxConcurrentStreams(uint32(cfg.maxConcurrentStreams)))
	}
	if cfg.tlsCert != "" {
		creds, err := credentials.NewServerTLSFromFile(cfg.tlsCert, cfg.tlsKey)
		if err != nil {
			return nil, err
		}
		options = append(options, grpc.Creds(creds))
	}
	return options, nil
}
