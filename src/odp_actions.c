#include "odp_actions.h"
