# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Every module belongs to the graph action group.
    DOCUMENTATION = r'''
attributes:
  action_group:
    support: full
    description: Part of the C(graph) action group, so C(module_defaults) can set the connection options once.
    membership:
      - graphops.intune.graph
'''

    # The _info modules only read.
    INFO = r'''
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
    description: Reads only.
'''
