from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from torelik.identity import services
from torelik.identity.models import LoginAttempt, User
from torelik.kernel.errors import DomainError

# Filers' usernames are "iin:<IIN>" or "iin:<IIN>:bin:<BIN>"; Django's default validator has no ":".
username_validator = RegexValidator(
    r"^[\w.@+:-]+\Z", _("Letters, digits and @/./+/-/_/: only."), code="invalid_username"
)


def _username_unique(form: forms.ModelForm[User], username: str) -> str:
    taken = User.objects.filter(username__iexact=username)
    if form.instance.pk is not None:
        taken = taken.exclude(pk=form.instance.pk)
    if username and taken.exists():
        raise ValidationError(_("A user with that username already exists."), code="unique")
    return username


class TorelikUserChangeForm(UserChangeForm[User]):
    username = forms.CharField(label=_("username"), max_length=150, validators=[username_validator])

    def _get_validation_exclusions(self) -> set[str]:
        # The model's own validator would refuse the ":"; the form field above checks the name, and
        # clean_username its uniqueness, which the exclusion also skips.
        return {*super()._get_validation_exclusions(), "username"}  # type: ignore[misc]

    def clean_username(self) -> str:
        return _username_unique(self, self.cleaned_data["username"])


class TorelikUserCreationForm(UserCreationForm[User]):
    username = forms.CharField(label=_("username"), max_length=150, validators=[username_validator])

    def _get_validation_exclusions(self) -> set[str]:
        return {*super()._get_validation_exclusions(), "username"}  # type: ignore[misc]

    def clean_username(self) -> str:
        return _username_unique(self, self.cleaned_data["username"])


class LockedFilter(admin.SimpleListFilter):
    title = _("login lock")
    parameter_name = "locked"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Locked")), ("no", _("Not locked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(locked_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(locked_until__gt=now)
        return queryset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = TorelikUserChangeForm
    add_form = TorelikUserCreationForm
    list_display = ("username", "display_name", "role", "iin", "bin", "court", "is_active", "is_locked")
    list_filter = ("role", "is_active", LockedFilter, "court")
    search_fields = ("username", "first_name", "last_name", "iin", "bin", "organisation_name")
    readonly_fields = ("failed_logins", "locked_until", "has_totp", "last_login", "date_joined")
    actions = ["unlock", "enrol_totp"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {"fields": ("first_name", "last_name", "email", "phone", "iin", "bin", "organisation_name")},
        ),
        (_("Role"), {"fields": ("role", "court", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Login"), {"fields": ("has_totp", "failed_logins", "locked_until", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "court", "password1", "password2")}),
    )

    @admin.display(boolean=True, description=_("locked"))
    def is_locked(self, obj: User) -> bool:
        return bool(obj.locked_until and obj.locked_until > timezone.now())

    @admin.display(boolean=True, description=_("one-time codes set up"))
    def has_totp(self, obj: User) -> bool:
        return bool(obj.totp_secret)

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            services.unlock_user(user=user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Set up one-time codes (shows the new secret once)"))
    def enrol_totp(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            try:
                uri = services.enrol_totp(user=user)
            except DomainError as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.ERROR)
                continue
            # The administrator passes this on to the staff member (or shows it as a QR code).
            self.message_user(request, f"{user.username}: {uri}", messages.WARNING)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "method", "identifier", "ip", "success", "reason")
    list_filter = ("method", "success", "reason")
    search_fields = ("identifier", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # The admin site's own form would accept a bare password; administrators log in like other
    # staff, with a one-time code and the same locks, then come back here.
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("identity:login"))


admin.site.login = _admin_login  # type: ignore[method-assign]
