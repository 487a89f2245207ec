#include "port_xsk.h"
