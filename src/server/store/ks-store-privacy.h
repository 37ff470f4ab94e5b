/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-store-privacy.h: the store's data-protection operations (see ks-store.h):
 * anonymising reports, everything held about one person (right of access),
 * terminating a person's data, the research export and email opt-outs.
 *
 * A person is named by their email address, matched whatever its case. A body_id
 * of 0 means every council (platform operators); otherwise only that council's
 * reports, updates and emails are read or changed. Writes run inside the
 * request's write transaction. */
#pragma once

#include <glib-object.h>
#include "store/ks-person-data.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

/* What anonymising changed. */
typedef struct {
  gint64     reports;      /* reports whose reporter data was removed */
  gint64     updates;      /* updates whose author name or email was removed */
  gint64     emails;       /* email records whose recipient was removed */
  gint64     answers;      /* stored idempotency answers scrubbed */
  GPtrArray *email_files;  /* in: NULL, or an array (of char *, freed with g_free)
                            * that gets the outbox file names of those emails: the
                            * caller removes the files once the change is committed */
} KsPrivacyCounts;

/* A staff account found by email. */
typedef struct {
  gint64    id;            /* 0: there is none */
  gint64    body_id;       /* 0: a platform operator */
  gboolean  is_superuser;
} KsPrivacyAccount;

/* What terminating a person changed. */
typedef struct {
  KsPrivacyCounts anonymised;
  gint64          staff_updates;     /* updates the removed account wrote */
  gint64          shortlist_released; /* reports taken off its shortlist */
  gint64          sessions;          /* its sessions, removed with it */
  gboolean        account_removed;
} KsPrivacyTermination;

/* One row of the research export. Strings are valid during the callback only. */
typedef struct {
  gint64      id;
  const char *category;
  const char *group;       /* the category's groups, '|'-separated, or "" */
  const char *state;
  const char *priority;    /* NULL: none */
  const char *ward;
  gint64      created;
  gint64      confirmed;   /* 0: never */
  gint64      fixed;       /* first time it was fixed; 0: never */
  double      lat;         /* as stored: the caller rounds */
  double      lon;
  gboolean    has_photo;
  const char *source;
} KsResearchRow;

typedef void (*KsResearchRowFunc) (const KsResearchRow *row, gpointer user_data);

typedef struct {
  /* Removes the reporter's name, email and phone (show_name off), the author
   * name and email of the updates the reporter wrote on it, and the recipient of
   * the emails about it sent to the reporter; keeps the content; adds a moderation
   * row by user_id with reason; bumps version, updated and seq. *out_changed is
   * FALSE (and nothing written) when the report held none of these. Every copy
   * goes too: the removed values are scrubbed from the stored idempotency answers
   * (set to null, or "[removed]" inside longer text), failed sign-ins under the
   * address are forgotten (unless a staff account has it), and the outbox files
   * of those emails are listed in counts->email_files. */
  gboolean (*anonymise_report) (KsStore *self, gint64 report_id, gint64 user_id,
                                const char *reason, gboolean *out_changed,
                                KsPrivacyCounts *counts, GError **error);
  gboolean (*find_account)     (KsStore *self, const char *email, KsPrivacyAccount *out,
                                GError **error);
  gboolean (*get_person)       (KsStore *self, const char *email, gint64 body_id,
                                gint64 account_id, KsPersonData *out, GError **error);
  gboolean (*terminate_person) (KsStore *self, const char *email, gint64 body_id,
                                gint64 account_id, gint64 user_id, const char *reason,
                                KsPrivacyTermination *out, GError **error);
  gboolean (*foreach_research_row) (KsStore *self, gint64 body_id, gint64 from, gint64 to,
                                KsResearchRowFunc func, gpointer user_data,
                                GError **error);
  gboolean (*add_optout_token) (KsStore *self, const char *token_hash,
                                const char *address_hash, GError **error);
  gboolean (*optout_by_token)  (KsStore *self, const char *token_hash, gboolean *found,
                                GError **error);
  gboolean (*is_opted_out)     (KsStore *self, const char *address_hash, gboolean *out,
                                GError **error);
  gboolean (*purge_old_copies) (KsStore *self, GError **error);
} KsStorePrivacyVTable;

/* The lower-case hex SHA-256 of the address lower-cased (ASCII): how opt-outs
 * and audit entries name an address without keeping it. */
char    *ks_privacy_address_hash (const char *address);

gboolean ks_store_privacy_anonymise_report (KsStore *self, gint64 report_id, gint64 user_id,
                                            const char *reason, gboolean *out_changed,
                                            KsPrivacyCounts *counts, GError **error);
/* The staff account with this email, in any council (out->id 0 when none). */
gboolean ks_store_privacy_find_account    (KsStore *self, const char *email,
                                           KsPrivacyAccount *out, GError **error);
/* Fills out (set up with ks_person_data_init) with everything held about the
 * person (see docs/api.md, "Data protection"); account_id: their staff account
 * when the caller may see it, else 0. */
gboolean ks_store_privacy_get_person      (KsStore *self, const char *email, gint64 body_id,
                                           gint64 account_id, KsPersonData *out,
                                           GError **error);
/* Anonymises all of the person's reports (as anonymise_report, by user_id with
 * reason), the updates they wrote and the emails sent to them; when account_id is
 * not 0, removes that staff account (sessions, roles, permissions, shortlist,
 * its name on what it wrote, what audit entries about it say of it). Every copy
 * goes as for anonymise_report; out->anonymised.email_files (in: NULL or an array)
 * gets the outbox files of the emails sent to them. */
gboolean ks_store_privacy_terminate_person (KsStore *self, const char *email, gint64 body_id,
                                            gint64 account_id, gint64 user_id,
                                            const char *reason, KsPrivacyTermination *out,
                                            GError **error);
/* Calls func for each report of the council (0: all) created in [from, to)
 * (0: open-ended) that is public (not unconfirmed, not hidden), oldest first. */
gboolean ks_store_privacy_foreach_research_row (KsStore *self, gint64 body_id, gint64 from,
                                                gint64 to, KsResearchRowFunc func,
                                                gpointer user_data, GError **error);
/* Remembers an opt-out link's token for an address. */
gboolean ks_store_privacy_add_optout_token (KsStore *self, const char *token_hash,
                                            const char *address_hash, GError **error);
/* Opts out the address of the link's token; *found FALSE for an unknown token. */
gboolean ks_store_privacy_optout_by_token (KsStore *self, const char *token_hash,
                                           gboolean *found, GError **error);
gboolean ks_store_privacy_is_opted_out    (KsStore *self, const char *address_hash,
                                           gboolean *out, GError **error);
/* After an erasure is committed (outside any transaction): writes the WAL into
 * the database file and truncates the WAL to nothing, so that no old version of
 * an erased page is left behind (the pages themselves had the erased bytes
 * overwritten with zeros: every connection runs with secure_delete on). */
gboolean ks_store_privacy_purge_old_copies (KsStore *self, GError **error);

G_END_DECLS
