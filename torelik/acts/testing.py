"""Signing an act without a browser, for tests and the demo: the server plays the judge's NCALayer.

The CMS comes from `NCALayerProtocol`, the same code the demo signer runs behind its WebSocket,
and goes through `services.sign_act` exactly like one from a browser: nothing here skips a check.
Production code never calls this; the court does not hold judges' keys.
"""

from __future__ import annotations

import base64
import json

from torelik.acts.models import JudicialAct
from torelik.acts.services import prepare_signing, sign_act
from torelik.identity.models import User
from torelik.signatures.ncalayer_server import MODULE_BASICS, NCALayerProtocol
from torelik.signatures.signing import SigningKey


def ncalayer_sign(key: SigningKey, data: bytes, *, digested: bool = False, iin: str = "") -> str:
    """What NCALayer's basics.sign returns for `data` (detached CMS, base64), or raises RuntimeError."""
    request = {
        "module": MODULE_BASICS,
        "method": "sign",
        "args": {
            "format": "cms",
            "data": base64.b64encode(data).decode("ascii"),
            "signingParams": {"decode": True, "encapsulate": False, "digested": digested},
            "signerParams": {"extKeyUsageOids": [], "iin": iin, "chain": []},
            "locale": "ru",
        },
    }
    reply = NCALayerProtocol(key).handle(json.dumps(request))
    if not reply.get("status"):
        raise RuntimeError(f"the signer refused: {reply.get('code')}: {reply.get('message')}")
    return str(reply["body"]["result"][0])


def sign_as_ncalayer(
    *, act: JudicialAct, user: User, key: SigningKey, digested: bool = False, tsa_url: str | None = None
) -> JudicialAct:
    """Prepare the act, sign it with `key` as NCALayer would, and hand the CMS to `sign_act`."""
    prepared = prepare_signing(act=act, user=user)
    cms = ncalayer_sign(key, prepared.digest if digested else prepared.data, digested=digested)
    return sign_act(act=act, user=user, cms=cms, expected_digest=prepared.digest.hex(), tsa_url=tsa_url)
