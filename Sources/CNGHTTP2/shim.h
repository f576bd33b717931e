#ifndef CNGHTTP2_SHIM_H
#define CNGHTTP2_SHIM_H
// libnghttp2 1.52 (Debian 12): the classic API (mem_send/mem_recv, nghttp2_submit_request
// with nghttp2_data_provider); the nghttp2_ssize "...2" functions arrived in 1.60.
#include <nghttp2/nghttp2.h>
#endif
