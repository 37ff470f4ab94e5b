/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-field-form.h: the forms that send a table of fields at once (council
 * settings, a new council): a field found by its wire name, and the server's
 * sentence under the field it refused (or in the form's status line). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum { KS_FIELD_TEXT, KS_FIELD_NUMBER, KS_FIELD_SWITCH } KsFieldType;

typedef struct {
  const char  *name;           /* the wire name */
  const char  *title;          /* N_() */
  const char  *subtitle;       /* N_(), or NULL */
  KsFieldType  type;
  gboolean     operator_only;  /* only platform operators change it */
} KsField;

/* The place of the field named name in fields, or -1 (name NULL too). */
int         ks_field_index        (const KsField *fields,
                                   guint          n,
                                   const char    *name);

/* A hidden list row for the sentence under a field; *label receives the
 * sentence's label (errors[i] below). */
GtkWidget  *ks_field_error_row_new (GtkWidget **label);
/* The form's status line, for a refusal of no one field (hidden). */
GtkWidget  *ks_field_status_new    (void);

/* Shows message under field index (its row marked "error"; errors[i] is the
 * label, shown with its parent) or, with index -1, in status; clears the rest.
 * message NULL clears them all. */
void ks_field_errors_show (GtkWidget  **rows,
                           GtkWidget  **errors,
                           guint        n,
                           GtkWidget   *status,
                           int          index,
                           const char  *message);
/* The sentence shown by an error label or the status line, or NULL. */
const char *ks_field_error_shown  (GtkWidget *label);

G_END_DECLS
