#include "odp_key.h"
