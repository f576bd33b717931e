package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// watchdogGrace is how long a due stop may take before the process is forced out (exit 1), as
// peer_common.py's WATCHDOG_GRACE.
const watchdogGrace = 5 * time.Second

// lifecycle follows Tests/Peers/peer_common.py: the process stops on SIGTERM or SIGINT, after
// --max-seconds, and when stdin (a pipe or a socket only) reaches EOF. `wait` returns the
// first reason.
type lifecycle struct {
	started    time.Time
	maxSeconds time.Duration
	watchStdin bool

	once   sync.Once
	stop   chan struct{}
	mu     sync.Mutex
	reason string
	stopAt time.Time
}

func newLifecycle(maxSeconds float64, watchStdin bool) *lifecycle {
	return &lifecycle{
		started:    time.Now(),
		maxSeconds: time.Duration(maxSeconds * float64(time.Second)),
		watchStdin: watchStdin,
		stop:       make(chan struct{}),
	}
}

// requestStop records the first stop reason and wakes `wait`.
func (l *lifecycle) requestStop(reason string) {
	l.once.Do(func() {
		l.mu.Lock()
		l.reason, l.stopAt = reason, time.Now()
		l.mu.Unlock()
		close(l.stop)
	})
}

func (l *lifecycle) install() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGUSR1)
	// With SIGPIPE notified, a write to a closed stdout fails with EPIPE instead of killing
	// the process (os/signal docs), as peer_common.py ignores SIGPIPE.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	go l.handleSignals(signals)
	go l.watchdog()
	go func() {
		select {
		case <-time.After(l.maxSeconds):
			l.requestStop(fmt.Sprintf("max-seconds (%g) elapsed", l.maxSeconds.Seconds()))
		case <-l.stop:
		}
	}()
	if l.watchStdin && stdinIsWatchable() {
		go l.watchStdinEOF()
	} else if l.watchStdin {
		logf("stdin is not a pipe: stdin-EOF watch inactive (max-seconds still applies)")
	}
}

// handleSignals runs on a thread of its own whose signal mask lets SIGTERM and SIGINT in: a
// parent that spawns us from a thread with them blocked (libdispatch's workers, so
// Foundation.Process in the Swift tests) passes its mask on, and the Go runtime keeps the
// inherited mask on every thread it starts.
func (l *lifecycle) handleSignals(signals chan os.Signal) {
	runtime.LockOSThread() // never unlocked: this thread keeps the unblocked mask
	unblockStopSignals()
	for sig := range signals {
		if sig == syscall.SIGUSR1 {
			dumpGoroutines()
			continue
		}
		l.requestStop(signalName(sig))
	}
}

// unblockStopSignals clears SIGTERM and SIGINT from the calling thread's signal mask.
func unblockStopSignals() {
	const sigUnblock = 1 // SIG_UNBLOCK (Linux)
	set := uint64(1)<<(uint(syscall.SIGTERM)-1) | uint64(1)<<(uint(syscall.SIGINT)-1)
	_, _, errno := syscall.RawSyscall6(syscall.SYS_RT_SIGPROCMASK, sigUnblock,
		uintptr(unsafe.Pointer(&set)), 0, unsafe.Sizeof(set), 0, 0)
	if errno != 0 {
		logf("rt_sigprocmask(SIG_UNBLOCK): %v", errno)
	}
}

func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return sig.String()
}

// dumpGoroutines writes every goroutine's stack to stderr (`kill -USR1 <pid>`).
func dumpGoroutines() {
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	fmt.Fprintf(os.Stderr, "%s\n", buf[:n])
}

// watchdog forces the process out when a stop has been due for watchdogGrace, or at
// max-seconds + watchdogGrace, whatever the main goroutine is doing.
func (l *lifecycle) watchdog() {
	hardDeadline := l.started.Add(l.maxSeconds + watchdogGrace)
	for {
		time.Sleep(500 * time.Millisecond)
		l.mu.Lock()
		stopAt := l.stopAt
		l.mu.Unlock()
		now := time.Now()
		if now.After(hardDeadline) || (!stopAt.IsZero() && now.After(stopAt.Add(watchdogGrace))) {
			logf("watchdog: still running %v after it should have exited; forcing exit", watchdogGrace)
			os.Exit(1)
		}
	}
}

// stdinIsWatchable is true for a pipe or a socket only: EOF on an inherited /dev/null or on a
// terminal says nothing about the parent.
func stdinIsWatchable() bool {
	var st syscall.Stat_t
	if err := syscall.Fstat(0, &st); err != nil {
		return false
	}
	mode := st.Mode & syscall.S_IFMT
	return mode == syscall.S_IFIFO || mode == syscall.S_IFSOCK
}

func (l *lifecycle) watchStdinEOF() {
	_, _ = io.Copy(io.Discard, os.Stdin)
	l.requestStop("stdin closed")
}

// wait blocks until a stop reason arrives and returns it.
func (l *lifecycle) wait() string {
	<-l.stop
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reason
}

// logf writes one line to stderr (stdout carries the PORT contract).
func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "[go_v2_server %d] %s\n", os.Getpid(), fmt.Sprintf(format, args...))
}

var stdoutMu sync.Mutex

// stdoutLine writes one line to stdout (PORT and the exit summary only).
func stdoutLine(format string, args ...interface{}) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	_, _ = fmt.Fprintf(os.Stdout, format+"\n", args...)
}
