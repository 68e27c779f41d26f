# -*- coding: utf-8 -*-
# Copyright (c) graphops.intune contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # Modules whose entity has a natural key (a display name, a device ID) that the engine keeps unique.
    DOCUMENTATION = r'''
options:
  on_duplicate:
    description:
      - What to do when several entities already carry the natural key that identifies the entity (Graph does not
        keep it unique, so two runs at once, or another tool, can create copies).
      - V(fail) fails the task and names the IDs of the copies; nothing is changed.
      - V(keep_oldest) keeps the oldest copy (the earliest C(createdDateTime), then the smallest ID; for entities without
        C(createdDateTime), the first that Graph lists), deletes the others, and then applies the task to the one kept.
        With C(--check) nothing is deleted, and with C(--diff) the copies that are (or would be) deleted are shown.
      - Runs that create the same natural key at the same time never leave copies, whatever this option says. On one
        controller they take turns (a lock file in a C(locks) directory beside the token cache); across controllers each
        run reads the collection again after creating, and every run keeps the same winner and deletes only the copy it
        created itself.
    type: str
    default: fail
    choices: [fail, keep_oldest]
notes:
  - The create lock is waited for up to 600 seconds (environment variable E(GRAPH_LOCK_TIMEOUT)); a run that waits longer
    fails and names the lock file and the process holding it.
'''
