import { Modal, type ModalProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * Mantine's Modal with a named close button, and with its `<header>` kept out of the landmark
 * list (inside `role="dialog"` it would count as a second page banner).
 */
export function Dialog(props: ModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      attributes={{ header: { role: 'none' } }}
      closeButtonProps={{ 'aria-label': t('common.closeDialog') }}
      {...props}
    />
  );
}
