// OpenSSL libcrypto: the EVP digest interface used for streaming SHA-256.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#endif
