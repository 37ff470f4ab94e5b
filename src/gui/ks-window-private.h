/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-window-private.h: the main window's instance struct and what its files
 * (ks-window.c, ks-window-actions.c) share. */
#pragma once

#include "ks-window.h"

G_BEGIN_DECLS

/* Syncs that bring more reports than this show a progress bar. */
#define SYNC_PROGRESS_THRESHOLD 2000

struct _KsWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KsSession            *session;
  KsSyncEngine         *sync;        /* connected signals */
  KsOutbox             *outbox;      /* connected signals */
  KsReportFilter       *filter;      /* connected signals */

  gboolean              offline;
  guint                 unsent;      /* changes queued while offline, not yet said sent */
  gboolean              map_centred;

  GtkWidget            *toast_overlay;
  GtkWidget            *main_stack;
  GtkWidget            *sign_in_page;
  GtkWidget            *leaflet;
  GtkWidget            *sidebar_pane;
  GtkWidget            *content_pane;
  GtkWidget            *detail_pane;
  GtkWidget            *filter_sidebar;
  GtkWidget            *view_switcher_title;
  GtkWidget            *view_stack;
  GtkWidget            *content_stack;
  GtkWidget            *map_bin;
  GtkWidget            *map_view;
  GtkWidget            *report_list;
  GtkWidget            *bulk_bar;
  GtkWidget            *select_area_button;
  GtkWidget            *report_detail;
  GtkWidget            *detail_title;
  GtkWidget            *count_label;
  GtkWidget            *new_report_button;
  GtkWidget            *council_picker;    /* platform operators only */
  GArray               *council_ids;       /* gint64, in the picker's order */
  gulong                council_picked_handler;
  GCancellable         *councils_cancellable;
  GtkWidget            *site_banner;       /* the council's site message */
  GtkWidget            *offline_revealer;
  GtkWidget            *offline_label;
  GtkWidget            *sync_revealer;
  GtkWidget            *sync_label;
  GtkWidget            *sync_progress;
  GtkWidget            *first_sync_progress;
  guint                 first_sync_pulse;
  gboolean              first_sync;  /* a sync into an empty cache is running */
  GtkWidget            *empty_page;
  GtkWidget            *setup_title;
  GtkWidget            *setup_reason;
  GtkWidget            *two_factor_setup;
  GtkWidget            *account_window;
};

/* ks-window-actions.c: installs the "win." actions and their shortcuts. */
void     ks_window_class_install_actions (GtkWidgetClass *widget_class);
/* Enables the actions that follow the session's permissions ("win.dashboard",
 * "win.administration"). */
void     ks_window_update_actions        (KsWindow *self);
/* ks-window-council.c: shows the council picker to platform operators (and
 * fills it), hides it otherwise; frees what it holds. */
void     ks_window_council_update        (KsWindow *self);
void     ks_window_council_dispose       (KsWindow *self);

/* ks-window.c */
/* Whether the main page (filters, map and list, detail) is showing. */
gboolean ks_window_in_main               (KsWindow *self);
/* Back to the sign-in page, with a sentence (nullable). */
void     ks_window_leave_main            (KsWindow *self, const char *message);

G_END_DECLS
