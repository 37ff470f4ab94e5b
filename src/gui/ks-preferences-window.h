/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-preferences-window.h: server, map tiles and sync interval. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KS_TYPE_PREFERENCES_WINDOW (ks_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (KsPreferencesWindow, ks_preferences_window, KS, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *ks_preferences_window_new (GSettings *settings);

G_END_DECLS
