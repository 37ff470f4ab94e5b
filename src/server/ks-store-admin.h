/* ks-store-admin.h: the store's admin operations (see ks-store.h). */
#pragma once

#include <glib-object.h>
#include "ks-principal.h"
#include "ks-json-writer.h"

G_BEGIN_DECLS

typedef struct _KsStore KsStore;

typedef struct {
  gpointer reserved;
} KsStoreAdminVTable;

G_END_DECLS
