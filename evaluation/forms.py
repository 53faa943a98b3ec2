from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Answer, Decision, Evaluation

# EVA-3: the handbook's prompts for the two open questions.
RESULT_HINT = _(
    "Describe in detail whether the planned result has been achieved: to what extent and in "
    "what way?"
)
RECOMMENDATIONS_HINT = _(
    "For example: should mentoring continue (how often and how much)? Are other support "
    "measures needed (which and why)? How can the young person be supported in the longer "
    "term?"
)
# DIA-5: as in the diary, nothing sensitive about the learner.
SENSITIVE_HINT = _(
    "Write no sensitive information about the learner (health, family circumstances, "
    "violence): the evaluation is about the mentoring."
)


class EvaluationForm(forms.ModelForm):
    """EVA-3, EVA-4: every field optional here: a draft keeps what is typed; the service
    says what a submitted evaluation must answer."""

    class Meta:
        model = Evaluation
        fields = [
            "risks_reduced",
            "risks_reduced_comment",
            "confidence_strengthened",
            "confidence_strengthened_comment",
            "development_promoted",
            "development_promoted_comment",
            "result_achieved",
            "recommendations",
            "termination_reasons",
        ]
        widgets = {
            "risks_reduced": forms.RadioSelect,
            "confidence_strengthened": forms.RadioSelect,
            "development_promoted": forms.RadioSelect,
            "risks_reduced_comment": forms.Textarea(attrs={"rows": 2}),
            "confidence_strengthened_comment": forms.Textarea(attrs={"rows": 2}),
            "development_promoted_comment": forms.Textarea(attrs={"rows": 2}),
            "result_achieved": forms.Textarea(attrs={"rows": 5}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
            "termination_reasons": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "result_achieved": RESULT_HINT,
            "recommendations": RECOMMENDATIONS_HINT,
        }

    def __init__(self, *args, terminated=False, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("risks_reduced", "confidence_strengthened", "development_promoted"):
            self.fields[name].choices = Answer.choices
            self.fields[name].required = False
        for name, field in self.fields.items():
            field.required = False
            if name.endswith("_comment"):
                field.label = _("Comment (for No or Partly)")
        if not terminated:
            del self.fields["termination_reasons"]

    def answers(self):
        return {name: value or "" for name, value in self.cleaned_data.items()}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What was agreed with the mentor and the learner?"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether mentoring continues.")},
    )


class CloseForm(forms.Form):
    timesheets_received = forms.BooleanField(
        label=_("The mentor has handed over the signed paper timesheets of the semester"),
        required=False,
    )
