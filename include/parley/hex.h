/* Hexadecimal text to octets and back, as AT+CMGS, +CMGR and +CMT carry PDUs. */
#ifndef PARLEY_HEX_H
#define PARLEY_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes hex (either case, no separators) into out.
 * Returns octets written; -EINVAL for an odd length or a non-hex character,
 * -EMSGSIZE when out is too small.
 */
int hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t outsz);

/* Writes 2*len upper-case hex digits and a NUL; out must hold 2*len+1 bytes. */
void hex_encode(const uint8_t *in, size_t len, char *out);

#endif
