/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-demo.h: the demo council and its realistic data set. */
#pragma once

#include "store/ks-store.h"

G_BEGIN_DECLS

#define KS_DEMO_PASSWORD "street-lamp-orange-42"
/* The demo's platform operator (a superuser of no council). */
#define KS_DEMO_OPERATOR_EMAIL "platform@demo.invalid"
#define KS_DEMO_OPERATOR_NAME  "Alex Morgan"

typedef struct {
  guint   n_reports;
  guint32 seed;
  int     bcrypt_cost;
  const char *media_dir; /* the demo photos are written here; NULL: no photos */
} KsDemoOptions;

/* What writes the planned data into a store (ks-demo-plan.h). */
typedef struct _KsDemoWriter KsDemoWriter;

/* Creates the demo council (or refreshes it: its reports are replaced) in store,
 * through writer (the store's own: ks_sqlite_demo_writer for SQLite). */
gboolean ks_demo_generate (KsStore            *store,
                           const KsDemoWriter *writer,
                           const KsDemoOptions *options,
                           GError            **error);

G_END_DECLS
