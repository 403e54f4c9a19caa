"""Smart cards for the tests: a certification authority the tests generate, and the certificates it issues (good, expired,
without the CNS policy, from another authority, with a subject that names no codice fiscale, revoked)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CNS_POLICY = "1.3.76.16.2.1"


@dataclass
class Authority:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def authority(name: str = "Autorità di prova per la CNS") -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"), x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256()))
    return Authority(key, cert)


def card(ca: Authority, **options) -> str:
    return card_with_key(ca, **options)[0]


def card_with_key(ca: Authority, *, fiscal_code: str = "RSSMRA85C52H501N", given="MARIA", family="ROSSI",
                  policy: str | None = CNS_POLICY, days: tuple[int, int] = (-30, 365), cn: str | None = None,
                  serial: int | None = None, signer=None) -> tuple[str, str]:
    """The card's certificate and its private key (PEM), as a browser would hold them."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
                         x509.NameAttribute(NameOID.SURNAME, family), x509.NameAttribute(NameOID.GIVEN_NAME, given),
                         x509.NameAttribute(NameOID.COMMON_NAME, cn if cn is not None else f"{fiscal_code}/7420091000049623.fmIW78mgkUVdmdQuXCrZbDsW9oQ=")])
    now = datetime.now(UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca.cert.subject).public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number()).not_valid_before(now + timedelta(days=days[0]))
               .not_valid_after(now + timedelta(days=days[1])))
    if policy:
        builder = builder.add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]),
                                        critical=False)
    cert = builder.sign(signer or ca.key, hashes.SHA256())
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM).decode(), private.decode()


def server(ca: Authority, names: list[str]) -> tuple[bytes, bytes]:
    """A TLS server certificate for `names` (and 127.0.0.1), issued by `ca`, and its key."""
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca.cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([*(x509.DNSName(n) for n in names),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def revocation_list(ca: Authority, serials: list[int]) -> bytes:
    now = datetime.now(UTC)
    builder = x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject).last_update(now).next_update(now + timedelta(days=7))
    for serial in serials:
        builder = builder.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
