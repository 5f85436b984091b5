package URI::Escape;
# URI::Escape's two functions the pages use (liburi-perl need not be installed): escape every
# byte outside RFC 3986's unreserved set, and undo any %XX.
use strict;
use Exporter 'import';
our @EXPORT = qw(uri_escape uri_unescape);
our @EXPORT_OK = qw(uri_escape uri_unescape);

sub uri_escape {
    my $text = shift;
    return undef unless defined $text;
    $text =~ s/([^A-Za-z0-9\-\._~])/sprintf("%%%02X", ord($1))/ge;
    return $text;
}

sub uri_unescape {
    my $text = shift;
    return undef unless defined $text;
    $text =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge;
    return $text;
}

1;
