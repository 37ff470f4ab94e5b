/* ks-store-admin.c: dispatchers of the store's admin operations. */
#include "ks-store.h"
