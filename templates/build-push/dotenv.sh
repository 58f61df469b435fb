# shellcheck shell=sh
# --- build-push: hand the exact image to later jobs (dotenv report) ---
{
  printf '%sIMAGE=%s\n' "$HCI_DOTENV_PREFIX" "$HCI_REPO"
  printf '%sIMAGE_TAG=%s\n' "$HCI_DOTENV_PREFIX" "$HCI_FIRST_TAG"
  printf '%sIMAGE_DIGEST=%s\n' "$HCI_DOTENV_PREFIX" "$HCI_DIGEST"
  printf '%sIMAGE_REF=%s@%s\n' "$HCI_DOTENV_PREFIX" "$HCI_REPO" "$HCI_DIGEST"
} >"$HCI_DOTENV_FILE"
echo "Pushed $HCI_REPO@$HCI_DIGEST; later jobs get ${HCI_DOTENV_PREFIX}IMAGE_REF (dotenv report $HCI_DOTENV_FILE):"
cat "$HCI_DOTENV_FILE"
