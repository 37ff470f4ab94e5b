/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-outbox-entry.c: one queued write of the outbox. */
#define G_LOG_DOMAIN "ks-outbox-entry"

#include "ks-outbox-entry.h"

G_DEFINE_BOXED_TYPE (KsOutboxEntry, ks_outbox_entry, ks_outbox_entry_copy, ks_outbox_entry_free)

KsOutboxEntry *
ks_outbox_entry_copy (const KsOutboxEntry *entry)
{
  KsOutboxEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->action = g_strdup (entry->action);
  copy->method = g_strdup (entry->method);
  copy->path = g_strdup (entry->path);
  copy->body = g_strdup (entry->body);
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->error_message = g_strdup (entry->error_message);
  copy->current = g_strdup (entry->current);
  return copy;
}

void
ks_outbox_entry_free (KsOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->action);
  g_free (entry->method);
  g_free (entry->path);
  g_free (entry->body);
  g_free (entry->idempotency_key);
  g_free (entry->error_message);
  g_free (entry->current);
  g_free (entry);
}
