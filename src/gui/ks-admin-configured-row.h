/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-admin-configured-row.h: a row of the administration's Open311 page for a
 * destination of the server's configuration file: shown, never edited. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* TRUE for an object the server answered from its configuration ("source": "config"). */
gboolean   ks_admin_configured_row_is_for (JsonObject *o);
/* A row that cannot be activated: the name, its endpoint, where it comes from and
 * whether the council's entry of the same name replaces it. */
GtkWidget *ks_admin_configured_row_new    (JsonObject *o);

G_END_DECLS
