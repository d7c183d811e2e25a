"""Lets Cinder 21.3.1 send notifications under Debian 12's oslo.messaging 14.0.3-0+deb12u1.

That oslo.messaging rebuilds a notification's context from its "safe" keys only, through
RequestContext.from_dict. Cinder's from_dict passes read_deleted=None on, and its setter raises
"read_deleted can only be one of 'no', 'yes' or 'only', not None": the volume create that sent
the notification ends in error. Imported by start.sh's cinder-* wrappers after cinder.cmd.*.
"""

from cinder import context

_from_dict = context.RequestContext.from_dict.__func__


def _from_dict_with_default(cls, values):
    values = dict(values)
    if values.get('read_deleted') is None:
        values['read_deleted'] = 'no'
    return _from_dict(cls, values)


context.RequestContext.from_dict = classmethod(_from_dict_with_default)
