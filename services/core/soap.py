"""SOAP partners over httpx: a zeep transport with the same timeouts and in-process calls (tests) as every partner,
which loads WSDLs and schemas only from files shipped with the code (never from the network) and refuses an answer
that is not SOAP (a proxy's error page, a login page). Used by the protocol adapters and INPS's ConsultazioneISEE."""

from pathlib import Path

import httpx
import zeep
import zeep.exceptions

from .http import in_process_transport

SOAP_MEDIA = ("text/xml", "application/soap+xml", "application/xml", "multipart/related")


class _Response:
    """What zeep reads of a response (status, headers, body), from httpx's."""

    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = response.content
        self.encoding = response.encoding


class HttpxTransport(zeep.Transport):
    def __init__(self, timeout: float, in_process: bool):
        super().__init__(timeout=timeout, operation_timeout=timeout)
        transport = in_process_transport() if in_process else None
        self.http = httpx.Client(transport=transport, timeout=httpx.Timeout(timeout, connect=3.0), follow_redirects=False)

    def extra_headers(self, address: str, message: bytes) -> dict:
        """Headers a subclass adds to each call (e.g. the ModI signatures over the message)."""
        return {}

    def post(self, address, message, headers):
        message = message if isinstance(message, bytes) else message.encode()
        response = self.http.post(address, content=message, headers={**headers, **self.extra_headers(address, message)})
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media not in SOAP_MEDIA:
            raise zeep.exceptions.TransportError(status_code=response.status_code, content=response.content[:200])
        return _Response(response)

    def get(self, address, params, headers):
        return _Response(self.http.get(address, params=params, headers=headers))

    def load(self, url):
        return Path(url).read_bytes()
