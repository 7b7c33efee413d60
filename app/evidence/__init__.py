"""E-meeting evidence (พ.ร.ก. การประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. 2563) and self check-in."""
