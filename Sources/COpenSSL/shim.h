#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

// Swift cannot call C macros: these wrap the few OpenSSL 3.0 macros the transport needs.

static inline long copenssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline int copenssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long copenssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline void copenssl_ctx_set_read_ahead(SSL_CTX *ctx, int yes) {
    SSL_CTX_set_read_ahead(ctx, yes);
}

static inline int copenssl_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline long copenssl_mode_enable_partial_write(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline long copenssl_mode_accept_moving_write_buffer(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }
static inline int copenssl_tlsext_err_ok(void) { return SSL_TLSEXT_ERR_OK; }
static inline int copenssl_tlsext_err_alert_fatal(void) { return SSL_TLSEXT_ERR_ALERT_FATAL; }
#endif
