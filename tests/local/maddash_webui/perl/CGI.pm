package CGI;
# The three calls of CGI.pm that maddash-webui's index.cgi, details.cgi and report.cgi make
# (new, param, header), so the test runs those scripts unmodified without CGI.pm installed.
use strict;
use URI::Escape qw/uri_unescape/;

sub new {
    my %params;
    foreach my $pair (split /[&;]/, ($ENV{QUERY_STRING} || "")) {
        my ($key, $value) = split /=/, $pair, 2;
        next unless defined $key;
        $value = "" unless defined $value;
        $_ =~ tr/+/ / foreach ($key, $value);
        $params{uri_unescape($key)} = uri_unescape($value) unless exists $params{uri_unescape($key)};
    }
    return bless {params => \%params}, shift;
}

sub param { my ($self, $name) = @_; return $self->{params}{$name}; }

sub header { return "Content-Type: text/html; charset=ISO-8859-1\r\n\r\n"; }

1;
