/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-gui-test.h: helpers for GUI tests that check what a person sees: the
 * text of a list cell, what the map layer draws for a report, the detail's
 * fields and timeline, dialogs, screenshots. Assert on these after an action,
 * not on the model: a model can be right while the widgets show old values. */
#pragma once

#include <adwaita.h>

#include "ks-test-wait.h"
#include "ks-window.h"

G_BEGIN_DECLS

/* The widget is mapped and has a size (a condition for ks_test_wait_for). */
gboolean          ks_gui_widget_drawn       (gpointer widget);
/* Asks for widget to be drawn and waits until its frame clock painted a
 * frame (FALSE after timeout_s). */
gboolean          ks_gui_wait_painted       (GtkWidget *widget, guint timeout_s);
/* Scrolls the nearest scrolled window around widget so that widget is in
 * view, as a person scrolls to a button before clicking it. */
void              ks_gui_scroll_into_view   (GtkWidget *widget);
/* Saves a PNG of widget under $KS_SCREENSHOT_DIR (or dir). */
void              ks_gui_save_screenshot    (GtkWidget *widget, const char *name);
void              ks_gui_set_screenshot_dir (const char *dir);
/* Saves a PNG of widget at its paintable's own size (a window's includes its
 * shadow), drawn 1:1 so that a QR code's modules stay whole pixels; returns
 * the file's path. */
char             *ks_gui_save_screenshot_whole (GtkWidget *widget, const char *name);

/* What the list shows for report id in column ("state", "priority", ...),
 * newly allocated; NULL when its row is not on screen. */
char             *ks_gui_list_cell         (KsWindow *window, gint64 id, const char *column);
/* The arrow on the list's column header titled title, as drawn:
 * "ascending", "descending" or "" (none). */
const char       *ks_gui_list_header_arrow (KsWindow *window, const char *title);
/* The state id the main map draws report id in, or NULL. */
const char       *ks_gui_map_state         (KsWindow *window, gint64 id);
/* The state id the detail's small map draws report id in, or NULL. */
const char       *ks_gui_detail_map_state  (KsWindow *window, gint64 id);
/* A field of the detail as shown ("state", "priority", "shortlist", ...). */
const char       *ks_gui_detail_field      (KsWindow *window, const char *field);
/* The detail's timeline rows as shown ("heading\nbody"). */
char            **ks_gui_detail_timeline   (KsWindow *window);

/* Waits until the list cell shows want (g_test_message says what it showed). */
gboolean          ks_gui_wait_list_cell    (KsWindow *window, gint64 id, const char *column,
                                            const char *want, guint timeout_s);
gboolean          ks_gui_wait_map_state    (KsWindow *window, gint64 id, const char *state,
                                            guint timeout_s);
gboolean          ks_gui_wait_detail_field (KsWindow *window, const char *field,
                                            const char *want, guint timeout_s);

/* The visible message dialog (the newest one), or NULL. */
AdwMessageDialog *ks_gui_find_dialog       (void);
/* Waits for a visible message dialog. */
AdwMessageDialog *ks_gui_wait_dialog       (guint timeout_s);
/* Whether widget is the one looked for (data: what ks_gui_find was given). */
typedef gboolean (*KsGuiWidgetMatch) (GtkWidget *widget, gconstpointer data);
/* root or the first of its descendants (depth first) that match accepts, or NULL. */
GtkWidget        *ks_gui_find              (GtkWidget *root, KsGuiWidgetMatch match, gconstpointer data);
/* What ks_gui_find_by() compares: the widget name, the CSS name, the type (or
 * a subtype: data is GSIZE_TO_POINTER (type)), or a label's text containing,
 * equal to or starting with data. */
typedef enum {
  KS_GUI_BY_NAME,
  KS_GUI_BY_CSS_NAME,
  KS_GUI_BY_TYPE,
  KS_GUI_BY_LABEL_CONTAINS,
  KS_GUI_BY_LABEL_IS,
  KS_GUI_BY_LABEL_PREFIX,
} KsGuiBy;
/* root or its first descendant (depth first) that matches, or NULL. */
GtkWidget        *ks_gui_find_by           (GtkWidget *root, KsGuiBy by, gconstpointer data);
#define ks_gui_find_named(root, name)        ks_gui_find_by ((root), KS_GUI_BY_NAME, (name))
#define ks_gui_find_css_name(root, css_name) ks_gui_find_by ((root), KS_GUI_BY_CSS_NAME, (css_name))
#define ks_gui_find_type(root, type)         ks_gui_find_by ((root), KS_GUI_BY_TYPE, GSIZE_TO_POINTER (type))
#define ks_gui_find_label(root, text)        ks_gui_find_by ((root), KS_GUI_BY_LABEL_CONTAINS, (text))
#define ks_gui_find_label_exact(root, text)  ks_gui_find_by ((root), KS_GUI_BY_LABEL_IS, (text))
#define ks_gui_find_label_prefix(root, text) ks_gui_find_by ((root), KS_GUI_BY_LABEL_PREFIX, (text))
/* The window of type (or a subtype) transient for parent, or NULL: the
 * administration, a dialog the window opened. */
GtkWindow        *ks_gui_find_transient    (GtkWindow *parent, GType type);
/* All the text of the labels under root, joined by newlines. */
char             *ks_gui_all_text          (GtkWidget *root);
/* The labels of a GtkDropDown's items (strings of a GtkStringList). */
char            **ks_gui_dropdown_labels   (GtkDropDown *dropdown);

/* The visible toast's title, or NULL (looks for AdwToastOverlay's label). */
const char       *ks_gui_toast_text        (KsWindow *window);

/* Clicks the button of the visible toast whose label is label (mnemonic
 * underscores ignored); FALSE when there is none. */
gboolean          ks_gui_click_toast_button (KsWindow *window, const char *label);

/* Gives the dialog's response and closes it, as its button does. */
void              ks_gui_respond            (AdwMessageDialog *dialog, const char *response);
/* Clicks the visible button labelled label under root, as a person would
 * (a message dialog's response buttons close it). */
gboolean          ks_gui_click_button       (GtkWidget *root, const char *label);

G_END_DECLS
