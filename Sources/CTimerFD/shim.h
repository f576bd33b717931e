#ifndef CTIMERFD_SHIM_H
#define CTIMERFD_SHIM_H
// Linux's timerfd, which Swift's Glibc module does not export: the client's I/O thread polls
// one, so that a caller starting a call with a deadline sets a timer instead of waking it.
#include <sys/timerfd.h>
#endif
