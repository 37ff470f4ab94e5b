/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox-entry.h: one queued write of the outbox (a boxed struct). */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  KS_OUTBOX_PENDING,   /* waiting to be sent (or being sent) */
  KS_OUTBOX_CONFLICT,  /* the server answered 409: needs a person's decision */
  KS_OUTBOX_REJECTED,  /* the server refused it (403, 404, 422...): needs a decision */
} KsOutboxState;

typedef struct {
  gint64         id;             /* local id, in order of queueing */
  char          *action;         /* "acknowledge", "update", "state", "priority",
                                  * "moderate", "hide", "request_info",
                                  * "shortlist_add", "shortlist_remove", "create" */
  gint64         report_id;      /* 0 for "create" */
  char          *method;
  char          *path;
  char          *body;           /* JSON text sent, without "version" */
  char          *idempotency_key;
  gint64         base_version;   /* report version the change is based on (0: none) */
  KsOutboxState  state;
  char          *error_message;  /* the server's sentence for a conflict or rejection */
  char          *current;        /* JSON of the server's current report on a conflict */
  gint64         created;        /* Unix seconds */
  guint          attempts;       /* times sent under this key (its body is then fixed) */
} KsOutboxEntry;

#define KS_TYPE_OUTBOX_ENTRY (ks_outbox_entry_get_type ())
GType          ks_outbox_entry_get_type (void) G_GNUC_CONST;
KsOutboxEntry *ks_outbox_entry_copy     (const KsOutboxEntry *entry);
void           ks_outbox_entry_free     (KsOutboxEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KsOutboxEntry, ks_outbox_entry_free)

G_END_DECLS
