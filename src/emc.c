#include "emc.h"
