/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-bulk-result.h: what the server answered to a bulk action, item by item
 * (POST /api/v1/reports/bulk). */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  KS_BULK_OK,
  KS_BULK_CONFLICT,    /* the report changed since it was selected */
  KS_BULK_FORBIDDEN,   /* the account may not do this to this report */
  KS_BULK_NOT_FOUND,   /* gone, or not the account's council */
  KS_BULK_INVALID,     /* the action does not fit this report */
  KS_BULK_N_STATUS
} KsBulkStatus;

typedef struct {
  gint64        id;
  KsBulkStatus  status;
  char         *message;   /* the server's sentence when refused, else NULL */
  gint64        version;   /* the report's version now (0 when not known) */
} KsBulkItem;

typedef struct {
  char   *action;
  GArray *items;                   /* KsBulkItem, in the order sent */
  guint   counts[KS_BULK_N_STATUS];
} KsBulkResult;

/* Reads the server's answer; NULL with an error sentence when it is not one. */
KsBulkResult *ks_bulk_result_new_from_json (JsonObject *answer, GError **error);
void          ks_bulk_result_free          (KsBulkResult *result);
/* "ok", "conflict", "forbidden", "not_found", "invalid". */
const char   *ks_bulk_status_to_string     (KsBulkStatus status);
/* The ids of the items with this status, in order (a GArray of gint64). */
GArray       *ks_bulk_result_ids           (const KsBulkResult *result, KsBulkStatus status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsBulkResult, ks_bulk_result_free)

G_END_DECLS
