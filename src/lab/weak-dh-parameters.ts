/**
 * A 1024-bit finite-field Diffie-Hellman group (safe prime, generator 2), made once with
 * `openssl dhparam 1024` and shipped as it is: DH parameters are public, and generating them at
 * every lab start would cost seconds. A server that hands out ephemeral keys in a group this small
 * is open to Logjam-style precomputation; the weak-dh-group configuration exists to be caught.
 */
export const WEAK_DH_PARAMETERS_PEM = `-----BEGIN DH PARAMETERS-----
MIGHAoGBANvI8+tmMRb9ao5wNgNFzad9KkqXj9Svw/GBXLONibp8YDHe7Pun09Cb
P2koPTLZ72LSYK0l8rCrkP0SBA01frlGzflIGaghTqCE1NIsZjTQSZ1YBUXReAbX
GVTPcqWUBQPNHfVf+cR8ZKVnLn9MehRfy4xMffq+orx/mayRNpdvAgEC
-----END DH PARAMETERS-----
`;

export const WEAK_DH_PARAMETERS_BITS = 1024;
