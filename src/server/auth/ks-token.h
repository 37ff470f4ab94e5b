/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-token.h: session tokens: 256 random bits, kept only as their SHA-256. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 32 bytes from the kernel's CSPRNG, base64url without padding (43 characters). */
char *ks_token_generate (void);
/* Lower-case hex SHA-256 of the token: what the database keeps. */
char *ks_token_hash     (const char *token);

G_END_DECLS
