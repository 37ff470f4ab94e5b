/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ks-settings.c: the app's settings schema, looked up where it is installed,
 * then next to the program when it runs from the build directory. */
#define G_LOG_DOMAIN "ks-settings"

#include "config.h"
#include "ks-settings.h"
#include "ks-error.h"

#include <glib/gi18n.h>

/* BUILD/src/gui/kerbside -> BUILD/data, where meson compiles the schema. */
static GSettingsSchemaSource *
build_dir_source (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *compiled = NULL;

  if (exe == NULL)
    return NULL;
  bindir = g_path_get_dirname (exe);
  dir = g_build_filename (bindir, "..", "..", "data", NULL);
  compiled = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_settings_schema_source_new_from_directory (dir, g_settings_schema_source_get_default (),
                                                      FALSE, NULL);
}

GSettingsSchema *
ks_settings_lookup_schema (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_autoptr(GSettingsSchemaSource) beside = build_dir_source ();

      if (beside != NULL)
        schema = g_settings_schema_source_lookup (beside, APPLICATION_ID, FALSE);
    }
  if (schema == NULL)
    g_set_error (error, KS_ERROR, KS_ERROR_FAILED,
                 _("Kerbside’s settings schema (%s) is not installed. Install Kerbside "
                   "(meson install), or run it from its build directory with "
                   "“meson devenv -C BUILD kerbside”."), APPLICATION_ID);
  return schema;
}

GSettings *
ks_settings_new (void)
{
  g_autoptr(GSettingsSchema) schema = ks_settings_lookup_schema (NULL);

  g_return_val_if_fail (schema != NULL, NULL);
  return g_settings_new_full (schema, NULL, NULL);
}
