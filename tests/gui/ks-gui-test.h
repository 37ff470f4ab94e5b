/* ks-gui-test.h: helpers for GUI tests that check what a person sees: the
 * text of a list cell, what the map layer draws for a report, the detail's
 * fields and timeline, dialogs, screenshots. Assert on these after an action,
 * not on the model: a model can be right while the widgets show old values. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "ks-window.h"

G_BEGIN_DECLS

/* Runs the main loop for ms milliseconds. */
void              ks_gui_iterate            (guint ms);
/* Saves a PNG of widget under $KS_SCREENSHOT_DIR (or dir). */
void              ks_gui_save_screenshot    (GtkWidget *widget, const char *name);
void              ks_gui_set_screenshot_dir (const char *dir);

/* What the list shows for report id in column ("state", "priority", ...),
 * newly allocated; NULL when its row is not on screen. */
char             *ks_gui_list_cell         (KsWindow *window, gint64 id, const char *column);
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
/* The first descendant of root with this widget name, or NULL. */
GtkWidget        *ks_gui_find_named        (GtkWidget *root, const char *name);
/* The first descendant label whose text contains text, or NULL. */
GtkWidget        *ks_gui_find_label        (GtkWidget *root, const char *text);
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

/* Plain HTTP to the server as another client: returns the JSON answer, asserts
 * the status is below 300. */
JsonObject       *ks_gui_api               (const char *base_url, const char *method, const char *path,
                                            const char *token, const char *body);
/* Like ks_gui_api, but returns the status and does not assert. */
guint             ks_gui_api_status        (const char *base_url, const char *method, const char *path,
                                            const char *token, const char *body, JsonObject **answer);
char             *ks_gui_api_login         (const char *base_url, const char *email);

G_END_DECLS
