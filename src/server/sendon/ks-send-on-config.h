/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-send-on-config.h: the settings of sending reports on (docs/admin.md): the
 * [send-on] group of the server's configuration file (how often, how retries
 * wait) and one [open311 NAME] group per contractor's Open311 service that a
 * category's destination open311:NAME names. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char       *name;            /* NAME of [open311 NAME] */
  char       *endpoint;        /* base URL: .../open311/v2/ (requests.json is added) */
  char       *api_key;
  char       *jurisdiction_id; /* NULL: none sent */
  GHashTable *service_codes;   /* our category code -> theirs; a code not listed is sent as it is */
  gboolean    idempotent;      /* the service answers a repeated POST with the same
                                * Idempotency-Key with its first answer */
} KsOpen311Endpoint;

/* An endpoint of the given values and no service code map (a database one). */
KsOpen311Endpoint *ks_open311_endpoint_new  (const char *name, const char *endpoint,
                                             const char *api_key, const char *jurisdiction_id,
                                             gboolean idempotent);
void               ks_open311_endpoint_free (KsOpen311Endpoint *endpoint);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsOpen311Endpoint, ks_open311_endpoint_free)

typedef struct {
  int         poll_seconds;       /* how often due sendings are looked for (10) */
  gint64      retry_seconds;      /* the first retry waits this long, each next twice as long (60) */
  gint64      retry_max_seconds;  /* the longest wait between retries (6 hours) */
  int         max_attempts;       /* after this many failed attempts it has failed (10) */
  int         updates_seconds;    /* how often contractors' updates are read (300) */
  int         timeout_seconds;    /* an HTTP exchange with a contractor at most (30) */
  GHashTable *endpoints;          /* NAME -> KsOpen311Endpoint */
} KsSendOnConfig;

/* The defaults, then the file's groups over them (path NULL: defaults only). */
gboolean ks_send_on_config_load  (KsSendOnConfig *config, const char *path, GError **error);
void     ks_send_on_config_clear (KsSendOnConfig *config);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KsSendOnConfig, ks_send_on_config_clear)

/* The groups' names, sorted, and their endpoints at the same index (new strvs). */
void     ks_send_on_config_names (const KsSendOnConfig *config, char ***out_names,
                                  char ***out_endpoints);

/* The endpoint of an open311:NAME destination; NULL when there is no such group. */
const KsOpen311Endpoint *ks_send_on_config_endpoint (const KsSendOnConfig *config,
                                                     const char           *destination);

G_END_DECLS
