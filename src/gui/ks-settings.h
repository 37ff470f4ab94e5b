/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-settings.h: the app's GSettings (org.kerbside.Kerbside), found where it is
 * installed, given by GSETTINGS_SCHEMA_DIR, or, for the app run straight from
 * the build directory, compiled beside the build (BUILD/data). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The schema, or NULL (with a sentence in error) when none can be found. */
GSettingsSchema *ks_settings_lookup_schema (GError **error);
/* The app's settings; never NULL once ks_settings_lookup_schema() found the schema. */
GSettings       *ks_settings_new           (void);

G_END_DECLS
