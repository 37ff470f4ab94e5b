/* ks-store-actions.c: dispatchers of the store's actions operations. */
#include "ks-store.h"
