package main

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"google.golang.org/grpc/grpclog"
)

// tooManyPings is the start of what grpc-go 1.33's server transport logs (at verbosity 2) when
// a client's PINGs struck out and it sends GOAWAY ENHANCE_YOUR_CALM "too_many_pings"
// (internal/transport/http2_server.go, handlePing). It is the only place grpc-go reports it.
const tooManyPings = "transport: Got too many pings from the client"

// quietLines is how many warning and error lines grpc-go may write to stderr without
// --verbose. Claiming verbosity 2 makes grpc-go log a line for about every closed connection,
// and a parent that never reads our stderr pipe (PeerProcess reads it only when the start
// fails) would block the process once the pipe's 64 KiB are full.
const quietLines = 20

// routineClose is what grpc-go 1.33 logs (at verbosity 2) for every connection that ends
// normally, recycled ones included; it is left out unless --verbose.
var routineClose = []string{
	"use of closed network connection",
	"loopyWriter.run returning",
	"transport is closing",
}

// peerLogger is grpc-go's logger for this peer: the first warnings and errors to stderr
// (everything with --verbose), and a count of the ping strike-outs. It claims verbosity 2 so
// that grpc-go formats the transport messages that are guarded by V(2), the strike-out among
// them.
type peerLogger struct {
	counters *counters
	verbose  bool
	written  int64
}

func installGRPCLogger(c *counters, verbose bool) {
	grpclog.SetLoggerV2(&peerLogger{counters: c, verbose: verbose})
}

func (l *peerLogger) write(level, text string) {
	if strings.Contains(text, tooManyPings) {
		atomic.AddInt64(&l.counters.pingStrikeouts, 1)
	}
	if !l.verbose && level != "FATAL" {
		if level == "INFO" || isRoutineClose(text) {
			return
		}
		switch n := atomic.AddInt64(&l.written, 1); {
		case n == quietLines+1:
			logf("grpc: further messages suppressed (--verbose shows them)")
			return
		case n > quietLines:
			return
		}
	}
	logf("grpc %s: %s", level, strings.TrimRight(text, "\n"))
}

func (l *peerLogger) Info(args ...interface{})    { l.write("INFO", fmt.Sprint(args...)) }
func (l *peerLogger) Infoln(args ...interface{})  { l.write("INFO", fmt.Sprintln(args...)) }
func (l *peerLogger) Warning(args ...interface{}) { l.write("WARNING", fmt.Sprint(args...)) }
func (l *peerLogger) Warningln(args ...interface{}) {
	l.write("WARNING", fmt.Sprintln(args...))
}
func (l *peerLogger) Error(args ...interface{})   { l.write("ERROR", fmt.Sprint(args...)) }
func (l *peerLogger) Errorln(args ...interface{}) { l.write("ERROR", fmt.Sprintln(args...)) }
func (l *peerLogger) Fatal(args ...interface{}) {
	l.write("FATAL", fmt.Sprint(args...))
	os.Exit(1)
}
func (l *peerLogger) Fatalln(args ...interface{}) {
	l.write("FATAL", fmt.Sprintln(args...))
	os.Exit(1)
}
func (l *peerLogger) Infof(format string, args ...interface{}) {
	l.write("INFO", fmt.Sprintf(format, args...))
}
func (l *peerLogger) Warningf(format string, args ...interface{}) {
	l.write("WARNING", fmt.Sprintf(format, args...))
}
func (l *peerLogger) Errorf(format string, args ...interface{}) {
	l.write("ERROR", fmt.Sprintf(format, args...))
}
func (l *peerLogger) Fatalf(format string, args ...interface{}) {
	l.write("FATAL", fmt.Sprintf(format, args...))
	os.Exit(1)
}
func (l *peerLogger) V(level int) bool { return level <= 2 }

func isRoutineClose(text string) bool {
	for _, s := range routineClose {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}
