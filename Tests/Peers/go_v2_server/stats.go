package main

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"

	"google.golang.org/grpc"
)

// counters are what the exit summary line reports:
//
//	CONNECTIONS <k> CALLS <n> STREAMS <m> CANCELLED <c> PING_STRIKEOUTS <p>
//
// CONNECTIONS counts accepted TCP connections (MaxConnectionAge recycling shows up here),
// CALLS unary calls, STREAMS server-streaming calls, CANCELLED the streaming calls that ended
// because the client went away (cancel, deadline, reset) before the last message, and
// PING_STRIKEOUTS the connections grpc-go closed with GOAWAY ENHANCE_YOUR_CALM
// "too_many_pings" (keepalive.EnforcementPolicy).
type counters struct {
	connections    int64
	calls          int64
	streams        int64
	cancelled      int64
	pingStrikeouts int64
}

func (c *counters) summary() string {
	return fmt.Sprintf("CONNECTIONS %d CALLS %d STREAMS %d CANCELLED %d PING_STRIKEOUTS %d",
		atomic.LoadInt64(&c.connections), atomic.LoadInt64(&c.calls), atomic.LoadInt64(&c.streams),
		atomic.LoadInt64(&c.cancelled), atomic.LoadInt64(&c.pingStrikeouts))
}

func (c *counters) unaryInterceptor(ctx context.Context, req interface{}, _ *grpc.UnaryServerInfo,
	handler grpc.UnaryHandler) (interface{}, error) {
	atomic.AddInt64(&c.calls, 1)
	return handler(ctx, req)
}

func (c *counters) streamInterceptor(srv interface{}, ss grpc.ServerStream, _ *grpc.StreamServerInfo,
	handler grpc.StreamHandler) error {
	atomic.AddInt64(&c.streams, 1)
	return handler(srv, ss)
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	counters *counters
}

func (l countingListener) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err == nil {
		atomic.AddInt64(&l.counters.connections, 1)
	}
	return conn, err
}
